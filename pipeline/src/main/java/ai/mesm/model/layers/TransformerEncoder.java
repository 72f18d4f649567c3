package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A post-LayerNorm Transformer encoder over a masked sequence [mb, dim, T] with a learned CLS
 * vector prepended (SPEC §4); outputs the CLS position of the last layer, [mb, dim]. Padded steps
 * are masked as attention keys, so they cannot change the output. Dropout is applied by the graph
 * to this layer's input (DL4J applies it in training only; SameDiff has no training flag inside a
 * layer). Attention projections have no input biases (ND4J's multi-head attention op has none);
 * the output projection has one.
 */
public final class TransformerEncoder extends SequenceEncoderLayer {
  private int dim;
  private int heads;
  private int layers;
  private int feedForward;

  public TransformerEncoder() {}

  public TransformerEncoder(int dim, int heads, int layers, int feedForward) {
    if (dim % heads != 0) throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
    this.dim = dim;
    this.heads = heads;
    this.layers = layers;
    this.feedForward = feedForward;
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.addWeightParam("cls", 1, dim, 1);
    int headDim = dim / heads;
    for (int l = 0; l < layers; l++) {
      for (String w : new String[] {"Wq", "Wk", "Wv"}) params.addWeightParam(key(l, w), heads, headDim, dim);
      params.addWeightParam(key(l, "Wo"), dim, dim);
      params.addWeightParam(key(l, "bo"), 1, dim, 1);
      params.addWeightParam(key(l, "ln1g"), dim);
      params.addWeightParam(key(l, "ln1b"), dim);
      params.addWeightParam(key(l, "W1"), dim, feedForward);
      params.addWeightParam(key(l, "b1"), 1, feedForward);
      params.addWeightParam(key(l, "W2"), feedForward, dim);
      params.addWeightParam(key(l, "b2"), 1, dim);
      params.addWeightParam(key(l, "ln2g"), dim);
      params.addWeightParam(key(l, "ln2b"), dim);
    }
  }

  private static String key(int layer, String name) {
    return "l" + layer + name;
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String name = e.getKey();
      INDArray p = e.getValue();
      if (name.endsWith("g")) {
        p.assign(1.0);
      } else if (name.endsWith("b") || name.endsWith("bo") || name.endsWith("b1") || name.endsWith("b2")) {
        p.assign(0.0);
      } else if (name.equals("cls")) {
        p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(0.02));
      } else {
        // Xavier-uniform over the matrix's last two dimensions, as PyTorch's Transformer layers.
        long fanOut = p.size(p.rank() - 2) * (p.rank() == 3 ? p.size(0) : 1);
        long fanIn = p.size(p.rank() - 1);
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        p.assign(Nd4j.rand(p.dataType(), p.shape()).muli(2 * limit).subi(limit));
      }
    }
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
    SDVariable firstStep = input.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, 1));
    SDVariable h = sd.concat(2, firstStep.mul(0.0).add(p.get("cls")), input);
    SDVariable m = mask.castTo(input.dataType());
    SDVariable firstMask = m.get(SDIndex.all(), SDIndex.interval(0, 1));
    SDVariable keys = sd.concat(1, firstMask.mul(0.0).add(1.0), m);
    for (int l = 0; l < layers; l++) {
      SDVariable attention = sd.nn.multiHeadDotProductAttention(h, h, h, p.get(key(l, "Wq")), p.get(key(l, "Wk")),
          p.get(key(l, "Wv")), p.get(key(l, "Wo")), keys, true).add(p.get(key(l, "bo")));
      h = sd.nn.layerNorm(h.add(attention), p.get(key(l, "ln1g")), p.get(key(l, "ln1b")), true, 1);
      SDVariable steps = h.permute(0, 2, 1);
      SDVariable rows = steps.reshape(-1, dim);
      SDVariable hidden = sd.nn.relu(rows.mmul(p.get(key(l, "W1"))).add(p.get(key(l, "b1"))), 0.0);
      SDVariable ff = hidden.mmul(p.get(key(l, "W2"))).add(p.get(key(l, "b2"))).reshape(steps.shape()).permute(0, 2, 1);
      h = sd.nn.layerNorm(h.add(ff), p.get(key(l, "ln2g")), p.get(key(l, "ln2b")), true, 1);
    }
    return h.get(SDIndex.all(), SDIndex.all(), SDIndex.point(0));
  }

  @Override
  long inputSize() {
    return dim;
  }

  @Override
  long outputSize() {
    return dim;
  }

  public int getDim() {
    return dim;
  }

  public void setDim(int dim) {
    this.dim = dim;
  }

  public int getHeads() {
    return heads;
  }

  public void setHeads(int heads) {
    this.heads = heads;
  }

  public int getLayers() {
    return layers;
  }

  public void setLayers(int layers) {
    this.layers = layers;
  }

  public int getFeedForward() {
    return feedForward;
  }

  public void setFeedForward(int feedForward) {
    this.feedForward = feedForward;
  }
}
