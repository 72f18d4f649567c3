package ai.mesm.model.layers;

import ai.mesm.model.sparse.AttentionMode;
import ai.mesm.model.sparse.SparseBlockParams;
import ai.mesm.model.sparse.SparseStack;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * MESM's cross-modal sparse blocks as a graph vertex. Inputs: the dense stem's frames
 * [n, C, H, W], the text encoder's CLS vector [mb, D] (the attention's query) and the modality's
 * masked sequence (its mask says which utterance each frame belongs to). Output: the last block's
 * pooled features as a dense [n, C', H/8, W/8] map with zeros at inactive sites, so the FE2E
 * projection layers follow unchanged. The computation is {@link MesmSparseVertex}.
 */
public final class MesmSparse extends HandWrittenVertex {
  private int channelDivisor;
  private int queryDim;
  private double topP;
  private String attention;

  public MesmSparse() {}

  public MesmSparse(int channelDivisor, int queryDim, double topP, AttentionMode attention) {
    this.channelDivisor = channelDivisor;
    this.queryDim = queryDim;
    this.topP = topP;
    this.attention = attention.name();
  }

  SparseStack stack() {
    return new SparseStack(channelDivisor, queryDim, topP, AttentionMode.valueOf(attention));
  }

  @Override
  public void defineParametersAndInputs(SDVertexParams params) {
    params.defineInputs("frames", "query", "sequence");
    SparseStack stack = stack();
    // Same names, shapes and order as SparseStack's flat layout, so DL4J's views line up with it.
    for (int b = 0; b < stack.blocks(); b++) {
      long[][] shapes = stack.blockShapes(b);
      for (int i = 0; i < shapes.length; i++) params.addWeightParam(name(b, i), shapes[i]);
    }
  }

  static String name(int block, int param) {
    return "b" + block + SparseBlockParams.NAMES[param]; // no "_": DL4J splits gradient keys at the last one
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    // MesmSparseVertex initialises its flat view through SparseStack.
  }

  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    // BatchNorm running statistics are set in the forward pass, never moved by the optimizer.
    return paramName.endsWith("Mean") || paramName.endsWith("Var") ? new NoOp() : super.getUpdaterByParam(paramName);
  }

  @Override
  protected GraphVertex runtime(ComputationGraph graph, String name, int index, INDArray paramsView,
                                boolean initializeParams, DataType networkDataType) {
    return new MesmSparseVertex(this, graph, name, index, paramsView, initializeParams, networkDataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) vertexInputs[0];
    long h = in.getHeight();
    long w = in.getWidth();
    for (int b = 0; b < stack().blocks(); b++) {
      h /= 2;
      w /= 2;
    }
    return InputType.convolutional(h, w, stack().outChannels());
  }

  @Override
  public MesmSparse clone() {
    return withTrainingSettings(new MesmSparse(channelDivisor, queryDim, topP, AttentionMode.valueOf(attention)));
  }

  public int getChannelDivisor() {
    return channelDivisor;
  }

  public void setChannelDivisor(int channelDivisor) {
    this.channelDivisor = channelDivisor;
  }

  public int getQueryDim() {
    return queryDim;
  }

  public void setQueryDim(int queryDim) {
    this.queryDim = queryDim;
  }

  public double getTopP() {
    return topP;
  }

  public void setTopP(double topP) {
    this.topP = topP;
  }

  public String getAttention() {
    return attention;
  }

  public void setAttention(String attention) {
    this.attention = attention;
  }
}
