package ai.mesm.model;

import ai.mesm.model.layers.DenseConvGradients;
import ai.mesm.model.sparse.NativeKernels;
import java.io.Serializable;

/**
 * Which implementation runs the model's hand-written kernels, as configured: MESM's sparse
 * convolutions (mesm.model.mesm.kernels) and the CNNs' convolution gradients in training
 * (mesm.model.cnn.gradients). Carried to the executors, which apply it in each task's JVM.
 */
public record Kernels(String sparse, String cnnGradients) implements Serializable {
  /** Makes this JVM run them as configured. Idempotent, so each Spark task may call it. */
  public void apply() {
    NativeKernels.configure(sparse);
    DenseConvGradients.configure(cnnGradients);
  }
}
