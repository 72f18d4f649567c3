package ai.mesm.model.layers;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The factor by which ND4J's external-errors function scales the error handed to a SameDiff layer.
 *
 * <p>DL4J runs the backward pass of every SameDiff-defined layer by feeding the error from the
 * layer above through {@link ExternalErrorsFunction}. In ND4J 1.0.0-M2.1 that function registers
 * its gradient itself and then returns it, and {@code DifferentialFunction.diff} registers it a
 * second time by adding, so every gradient behind the layer output (its parameters and its
 * input) comes out doubled. Measured here once, on a one-element identity graph, rather than
 * assumed, so that a fixed ND4J (gain 1) needs no change of ours.
 */
public final class ExternalErrorsGain {
  private static volatile Double measured;

  private ExternalErrorsGain() {}

  /** 2.0 on ND4J 1.0.0-M2.1; 1.0 once ND4J is fixed. */
  public static double get() {
    Double gain = measured;
    if (gain == null) {
      synchronized (ExternalErrorsGain.class) {
        if (measured == null) measured = measure();
        gain = measured;
      }
    }
    return gain;
  }

  private static double measure() {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      SameDiff sd = SameDiff.create();
      SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 1);
      SDVariable y = x.mul(1.0);
      ExternalErrorsFunction errors = SameDiffUtils.externalErrors(sd, null, y);
      sd.createGradFunction("x");
      INDArray one = Nd4j.ones(DataType.DOUBLE, 1, 1);
      Map<String, INDArray> grads = sd.calculateGradients(Map.of("x", one, errors.getGradPlaceholderName(), one),
          List.of("x"));
      double gain = grads.get("x").getDouble(0);
      if (!(gain > 0)) throw new IllegalStateException("ND4J external errors give gradient " + gain + " for an identity");
      return gain;
    }
  }
}
