package ai.mesm.model.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link SequenceToFrames}: gathers the real (unmasked) steps of [mb, C·H·W, T] into [n, C, H, W]. */
final class SequenceToFramesVertex extends ParameterlessVertex {
  private final long[] imageShape;
  private INDArray mask;
  private long[] inputShape;
  private int[] rows;

  SequenceToFramesVertex(ComputationGraph graph, String name, int index, DataType dataType, long[] imageShape) {
    super(graph, name, index, dataType);
    this.imageShape = imageShape;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray in = inputs[0];
    inputShape = in.shape();
    rows = SequenceRows.realRows(mask, in.size(0), in.size(2), getVertexName());
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(),
        new long[] {rows.length, imageShape[0], imageShape[1], imageShape[2]}, 'c');
    SequenceRows.gather(in, rows, out);
    return out;
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray back = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), inputShape, 'c');
    SequenceRows.scatter(epsilon, rows, back);
    return new Pair<>(new DefaultGradient(), new INDArray[] {back});
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    mask = maskArrays == null ? null : maskArrays[0];
    // The CNN layers after this vertex see only real frames: no mask goes to them.
    return new Pair<>(null, currentMaskState);
  }

  @Override
  public String toString() {
    return "SequenceToFramesVertex(" + getVertexName() + ", image=" + Arrays.toString(imageShape) + ")";
  }
}
