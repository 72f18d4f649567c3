package ai.mesm.train;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binds the executor thread that trains to the GPU Spark assigned to its task
 * (spark.task.resource.gpu.amount, conf/cluster-gpu.conf). Without it every executor of a node
 * would compute on ND4J's default device 0, whichever GPU the scheduler gave it. A no-op where
 * the task has no GPU (CPU executors, local runs) and on ND4J's CPU backend.
 */
final class GpuAffinity {
  private GpuAffinity() {}

  static void bindToTaskGpu() {
    TaskContext task = TaskContext.get();
    if (task == null) return;
    scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
    if (gpu.isEmpty() || gpu.get().addresses().length == 0) return;
    int device = Integer.parseInt(gpu.get().addresses()[0].trim());
    if (device < Nd4j.getAffinityManager().getNumberOfDevices()) Nd4j.getAffinityManager().unsafeSetDevice(device);
  }
}
