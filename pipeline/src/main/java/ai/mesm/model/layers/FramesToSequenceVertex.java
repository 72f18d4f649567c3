package ai.mesm.model.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link FramesToSequence}: scatters [n, D] into [mb, D, T] at the real steps of the mask. */
final class FramesToSequenceVertex extends ParameterlessVertex {
  private INDArray mask;
  private int[] rows;
  private long[] sequenceShape;

  FramesToSequenceVertex(ComputationGraph graph, String name, int index, DataType dataType) {
    super(graph, name, index, dataType);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray frames = inputs[0];
    sequenceShape = inputs[1].shape();
    rows = SequenceRows.realRows(mask, sequenceShape[0], sequenceShape[2], getVertexName());
    if (frames.size(0) != rows.length) {
      throw new IllegalStateException(getVertexName() + ": " + frames.size(0) + " frame vectors for " + rows.length
          + " real steps; both inputs must come from the same masked sequence");
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, frames.dataType(),
        new long[] {sequenceShape[0], frames.length() / frames.size(0), sequenceShape[2]}, 'c');
    SequenceRows.scatter(frames, rows, out);
    return out;
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray toFrames = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), inputs[0].shape(), 'c');
    SequenceRows.gather(epsilon, rows, toFrames);
    // The raw sequence only lends its shape and mask: it receives no gradient.
    INDArray toSequence = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, inputs[1].dataType(), sequenceShape, 'c');
    return new Pair<>(new DefaultGradient(), new INDArray[] {toFrames, toSequence});
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    mask = maskArrays == null ? null : maskArrays[1];
    return new Pair<>(mask, mask == null ? currentMaskState : MaskState.Active);
  }

  @Override
  public String toString() {
    return "FramesToSequenceVertex(" + getVertexName() + ")";
  }
}
