package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of a {@link SequenceEncoderLayer} whose forward and backward passes are written out by
 * hand rather than run as its SameDiff definition: SameDiff's per-execution bookkeeping
 * (dependency tracking, variable lookups by name, one op call per small tensor operation) cost
 * more than the arithmetic of these layers (docs/performance.md). The DL4J plumbing (parameter
 * and gradient views, masks, JSON) stays the SameDiff layer's; a subclass gives the pass.
 */
abstract class HandWrittenSequenceLayer extends SameDiffLayer {
  /** One forward pass over the layer's current input, with what its backward pass needs. */
  interface Pass {
    /** One vector per utterance, [mb × size] row-major. */
    double[] output();

    /** Parameter gradients by name, from the output's gradient [mb × size]. */
    Map<String, double[]> backward(double[] dOut);

    /** The input's gradient, in the input's layout; after {@link #backward}. */
    double[] inputGradient();
  }

  /** The last training forward pass, which the backward pass differentiates. */
  private Pass last;

  HandWrittenSequenceLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** A pass over {@link #input} and {@link #maskArray}, dropout applied when training. */
  abstract Pass forward(boolean training);

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    assertInputSet(false);
    Pass pass;
    // What the pass keeps lives until the backward pass: outside DL4J's per-pass workspaces.
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      pass = forward(training);
    }
    last = training ? pass : null;
    double[] output = pass.output();
    long mb = input.size(0);
    INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, dataType, new long[] {mb, output.length / mb}, 'c');
    return DenseArrays.write(out, output);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    assertInputSet(true);
    Map<String, double[]> grads;
    Pass pass;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      pass = last != null ? last : forward(false);
      grads = pass.backward(RowMatrices.values(epsilon));
    }
    Gradient g = new DefaultGradient();
    for (String name : paramTable.keySet()) {
      INDArray view = gradTable.get(name);
      DenseArrays.write(view, grads.get(name));
      g.gradientForVariable().put(name, view);
    }
    INDArray dx = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
    DenseArrays.write(dx, pass.inputGradient());
    return new Pair<>(g, dx);
  }

  /** Parameter {@code name} in the network's type. */
  INDArray weight(String name) {
    return paramTable.get(name).castTo(dataType);
  }

  /** Parameter {@code name}'s elements as doubles. */
  double[] param(String name) {
    return RowMatrices.values(paramTable.get(name));
  }
}
