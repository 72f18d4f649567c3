package ai.mesm.model.layers;

import ai.mesm.model.FeatureCnn;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The frozen graph's CNN in one vertex (FE2E's whole CNN, MESM's dense stem): the first
 * {@code layerCount} layers of {@link FeatureCnn} at {@code channelDivisor}, each convolution with
 * its BatchNorm folded in (a bias) and its ReLU, on [n, C, H, W] frames. It only predicts; its
 * parameters are the folded convolutions' weights [cout, cin, k, k] and biases [1, cout], named
 * {@code c<i>W} and {@code c<i>b} after the index of the layer in the CNN (the training graph's
 * {@code <modality>_cnn<i>}), filled by {@link ai.mesm.model.InferenceGraph}. The computation is
 * {@link FoldedCnnVertex}, on the native kernel ({@link #available}): where that kernel cannot
 * run, the frozen graph keeps one DL4J convolution layer per convolution instead.
 */
public final class FoldedCnn extends HandWrittenVertex {
  private int channelDivisor;
  private int layerCount;
  private int inChannels;
  private boolean channelsLast;

  public FoldedCnn() {}

  /**
   * @param channelsLast the [n, C, H, W] output stored channels-last ([n, H, W, C] in memory, a
   *                     permuted view): the site rows MESM's sparse blocks read, without a transpose
   */
  public FoldedCnn(int channelDivisor, int layerCount, int inChannels, boolean channelsLast) {
    this.channelDivisor = channelDivisor;
    this.layerCount = layerCount;
    this.inChannels = inChannels;
    this.channelsLast = channelsLast;
  }

  /** Whether the native kernel runs the frozen CNN for this type in this JVM (AVX-512, mesm.model.cnn.kernels not java). */
  public static boolean available(DataType type) {
    return CnnKernels.inferenceAvailable(type);
  }

  public List<FeatureCnn.Layer> layers() {
    return FeatureCnn.layers(channelDivisor).subList(0, layerCount);
  }

  /** The weights' name of the convolution at index {@code layer} of the CNN. */
  public static String weightName(int layer) {
    return "c" + layer + "W"; // no "_": DL4J splits gradient keys at the last one
  }

  /** The bias's name of the convolution at index {@code layer} of the CNN. */
  public static String biasName(int layer) {
    return "c" + layer + "b";
  }

  @Override
  public void defineParametersAndInputs(SDVertexParams params) {
    params.defineInputs("frames");
    int cin = inChannels;
    List<FeatureCnn.Layer> layers = layers();
    for (int i = 0; i < layers.size(); i++) {
      FeatureCnn.Layer l = layers.get(i);
      if (l.isPool()) continue;
      // Weights and bias side by side, layer by layer: FoldedCnnVertex cuts its views in this order.
      params.addWeightParam(weightName(i), l.outChannels(), cin, l.kernel(), l.kernel());
      params.addWeightParam(biasName(i), 1, l.outChannels());
      cin = l.outChannels();
    }
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    // Filled by folding a trained graph.
  }

  @Override
  protected GraphVertex runtime(ComputationGraph graph, String name, int index, INDArray paramsView,
                                boolean initializeParams, DataType networkDataType) {
    return new FoldedCnnVertex(this, graph, name, index, paramsView, initializeParams, networkDataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    if (!(vertexInputs[0] instanceof InputType.InputTypeConvolutional in)) {
      throw new IllegalArgumentException("the folded CNN needs a convolutional input, got " + vertexInputs[0]);
    }
    int[] chw = FeatureCnn.outputShape(layers(), (int) in.getChannels(), (int) in.getHeight(), (int) in.getWidth());
    return InputType.convolutional(chw[1], chw[2], chw[0]);
  }

  @Override
  public FoldedCnn clone() {
    return withTrainingSettings(new FoldedCnn(channelDivisor, layerCount, inChannels, channelsLast));
  }

  public int getChannelDivisor() {
    return channelDivisor;
  }

  public void setChannelDivisor(int channelDivisor) {
    this.channelDivisor = channelDivisor;
  }

  public int getLayerCount() {
    return layerCount;
  }

  public void setLayerCount(int layerCount) {
    this.layerCount = layerCount;
  }

  public boolean isChannelsLast() {
    return channelsLast;
  }

  public void setChannelsLast(boolean channelsLast) {
    this.channelsLast = channelsLast;
  }

  public int getInChannels() {
    return inChannels;
  }

  public void setInChannels(int inChannels) {
    this.inChannels = inChannels;
  }
}
