package ai.mesm.model.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optional sinusoidal positional encoding (Vaswani et al.) added to a sequence [mb, dim, T] before a
 * Transformer. The reference uses none (the default, {@code model.positional-encoding = false}).
 * Adding a constant passes gradients through unchanged.
 */
public final class SinusoidalPositions implements InputPreProcessor {

  /** [dim, steps]: sin(t / 10000^(2i/dim)) in even rows, cos in odd rows. */
  static INDArray table(int dim, long steps, org.nd4j.linalg.api.buffer.DataType type) {
    double[] values = new double[Math.toIntExact(dim * steps)];
    for (int i = 0; i < dim; i++) {
      double rate = Math.pow(10000.0, -(2 * (i / 2)) / (double) dim);
      for (int t = 0; t < steps; t++) {
        double angle = t * rate;
        values[(int) (i * steps + t)] = i % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return Nd4j.create(values, new long[] {dim, steps}, 'c').castTo(type);
  }

  @Override
  public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    INDArray positions = table((int) input.size(1), input.size(2), input.dataType());
    INDArray out = input.dup('c');
    for (long b = 0; b < input.size(0); b++) out.slice(b).addi(positions);
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
  }

  @Override
  public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, output);
  }

  @Override
  public SinusoidalPositions clone() {
    return new SinusoidalPositions();
  }

  @Override
  public InputType getOutputType(InputType inputType) {
    return inputType;
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                        int minibatchSize) {
    return new Pair<>(maskArray, currentMaskState);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SinusoidalPositions;
  }

  @Override
  public int hashCode() {
    return SinusoidalPositions.class.hashCode();
  }
}
