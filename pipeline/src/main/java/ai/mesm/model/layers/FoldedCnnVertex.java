package ai.mesm.model.layers;

import ai.mesm.model.FeatureCnn;
import ai.mesm.model.sparse.NativeArrays;
import ai.mesm.model.sparse.SparseBlockParams;
import java.lang.ref.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link FoldedCnn}: the frames split over the cores, each part one native call
 * ({@link CnnKernels#inferCnn}) that runs every layer on one frame at a time in one layout. The
 * kernel reads the weights regrouped into its blocks of output channels; they are regrouped when
 * the parameters are set ({@link #parametersChanged}) or, failing that, at the first forward pass.
 */
public final class FoldedCnnVertex extends TrainableVertex<FoldedCnn> {
  private final List<FeatureCnn.Layer> layers;
  private final int[] kernels;
  private final int[] outChannels;
  private volatile PackedCnnWeights packed;

  FoldedCnnVertex(FoldedCnn config, ComputationGraph graph, String name, int index, INDArray paramsView,
                  boolean initializeParams, DataType dataType) {
    super(config, graph, name, index, paramsView, dataType);
    this.layers = config.layers();
    if (layers.isEmpty() || layers.get(0).isPool()) throw new IllegalArgumentException(name + ": the CNN must start with a convolution");
    kernels = new int[layers.size()];
    outChannels = new int[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      kernels[i] = layers.get(i).kernel();
      outChannels[i] = layers.get(i).outChannels();
    }
    if (initializeParams) paramsView.assign(0);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    if (training) throw new IllegalStateException(getVertexName() + ": the folded CNN only predicts");
    INDArray x = NativeArrays.readable(inputs[0]);
    if (x.rank() != 4 || x.size(1) != config.getInChannels()) {
      throw new IllegalStateException(getVertexName() + ": expected [n, " + config.getInChannels() + ", H, W], got "
          + x.shapeInfoToString());
    }
    int n = (int) x.size(0);
    int c0 = (int) x.size(1);
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    long[] outShape = outputShape(n, h, w);
    boolean channelsLast = config.isChannelsLast();
    long[] stored = channelsLast ? new long[] {n, outShape[2], outShape[3], outShape[1]} : outShape;
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, stored, 'c');
    INDArray result = channelsLast ? out.permute(0, 3, 1, 2) : out;
    if (n == 0) return result;
    PackedCnnWeights p = packed();
    long xAt = NativeArrays.address(x);
    long outAt = NativeArrays.address(out);
    long inBytes = (long) c0 * h * w * Float.BYTES;
    long outBytes = outShape[1] * outShape[2] * outShape[3] * Float.BYTES;
    int rc = NativeConvolution.inParts(n, NativeConvolution.parts(n), (part, from, count) -> CnnKernels.inferCnn(
        xAt + from * inBytes, count, c0, h, w, kernels, outChannels, p.weightsAt(), p.biasAt(), channelsLast,
        outAt + from * outBytes));
    Reference.reachabilityFence(x);
    Reference.reachabilityFence(p);
    if (rc != 0) throw new OutOfMemoryError(getVertexName() + ": native memory for the folded CNN's feature maps");
    CnnKernels.counted();
    return result;
  }

  private long[] outputShape(int n, int h, int w) {
    int[] chw = FeatureCnn.outputShape(layers, config.getInChannels(), h, w);
    return new long[] {n, chw[0], chw[1], chw[2]};
  }

  /** Layers of the CNN, pools included (parameter names follow their indices). */
  public int layerCount() {
    return layers.size();
  }

  /** Regroups the weights for the kernel: call after writing the parameters. */
  public void parametersChanged() {
    packed = PackedCnnWeights.of(paramTable(false), layers, config.getInChannels());
  }

  private PackedCnnWeights packed() {
    PackedCnnWeights p = packed;
    if (p == null) {
      synchronized (this) {
        if (packed == null) parametersChanged();
        p = packed;
      }
    }
    return p;
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    throw new IllegalStateException(getVertexName() + ": the folded CNN only predicts");
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    // Frames after SequenceToFrames carry no mask.
    return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
  }

  @Override
  public Map<String, INDArray> paramTable(boolean backpropOnly) {
    Map<String, INDArray> table = new LinkedHashMap<>();
    long at = 0;
    long cin = config.getInChannels();
    for (int i = 0; i < layers.size(); i++) {
      FeatureCnn.Layer l = layers.get(i);
      if (l.isPool()) continue;
      long size = l.outChannels() * cin * l.kernel() * l.kernel();
      table.put(FoldedCnn.weightName(i),
          SparseBlockParams.segment(params, at, size).reshape('c', l.outChannels(), cin, l.kernel(), l.kernel()));
      at += size;
      table.put(FoldedCnn.biasName(i), SparseBlockParams.segment(params, at, l.outChannels()).reshape('c', 1, l.outChannels()));
      at += l.outChannels();
      cin = l.outChannels();
    }
    return table;
  }

  @Override
  public String toString() {
    return "FoldedCnnVertex(" + getVertexName() + ")";
  }
}
