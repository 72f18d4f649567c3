package ai.mesm.model;

import ai.mesm.model.layers.CnnKernels;
import ai.mesm.model.sparse.NativeKernels;
import java.io.Serializable;

/**
 * Which implementation runs the model's hand-written kernels, as configured: MESM's sparse
 * convolutions (mesm.model.mesm.kernels) and the CNNs' training kernels, the convolutions' gradients
 * and BatchNorm + ReLU (mesm.model.cnn.kernels). Carried to the executors, which apply it in each task's JVM.
 */
public record Kernels(String sparse, String cnn) implements Serializable {
  /** Makes this JVM run them as configured. Idempotent, so each Spark task may call it. */
  public void apply() {
    NativeKernels.configure(sparse);
    CnnKernels.configure(cnn);
  }
}
