package ai.mesm.model.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference's per-modality encoder (docs/computation.md#fe2e), PyTorch's {@code nn.TransformerEncoder} of
 * {@code nn.TransformerEncoderLayer}s with a learned CLS vector prepended: per layer, multi-head
 * self-attention with query/key/value input biases and padded steps masked as keys, then
 * post-LayerNorm residual blocks (eps 1e-5) and a ReLU feed-forward block, with PyTorch's four
 * dropouts (attention weights, both residual branches, feed-forward hidden). Reads a masked
 * sequence [mb, dim, T], outputs the last layer's CLS position [mb, dim].
 *
 * <p>Parameters mirror PyTorch's, held [in, out] (rows times weight): {@code inW} is
 * {@code in_proj_weight}ᵀ (query, key, value columns), {@code outW} {@code out_proj.weight}ᵀ,
 * {@code W1}/{@code W2} the feed-forward's. Initialised as the reference's modules are.
 */
public final class TransformerEncoder extends SequenceEncoderLayer implements DropoutMasks {
  /** PyTorch's LayerNorm default, which nn.TransformerEncoderLayer keeps. */
  public static final double LAYER_NORM_EPS = 1e-5;
  /** The score bias of a padded key step. */
  static final double MASKED = -1e9;
  static final String[] DROPOUTS = {"dropAttention", "dropResidual1", "dropHidden", "dropResidual2"};

  private int dim;
  private int heads;
  private int layers;
  private int feedForward;
  private double dropout;

  public TransformerEncoder() {}

  /** @param dropout PyTorch's {@code dropout} of each layer (0.1 in the reference) */
  public TransformerEncoder(int dim, int heads, int layers, int feedForward, double dropout) {
    if (dim % heads != 0) throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
    if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
    this.dim = dim;
    this.heads = heads;
    this.layers = layers;
    this.feedForward = feedForward;
    this.dropout = dropout;
  }

  /** The shape parameter {@code name} of layer 0 (or "cls") is held in. */
  static long[] shape(String name, long dim, long feedForward) {
    return switch (name) {
      case "cls" -> new long[] {1, 1, dim};
      case "inW" -> new long[] {dim, 3 * dim};
      case "inB" -> new long[] {1, 3 * dim};
      case "outW" -> new long[] {dim, dim};
      case "outB", "b2" -> new long[] {1, dim};
      case "ln1g", "ln1b", "ln2g", "ln2b" -> new long[] {dim};
      case "W1" -> new long[] {dim, feedForward};
      case "b1" -> new long[] {1, feedForward};
      case "W2" -> new long[] {feedForward, dim};
      default -> throw new IllegalArgumentException("no encoder parameter " + name);
    };
  }

  static final String[] LAYER_PARAMETERS = {"inW", "inB", "outW", "outB", "ln1g", "ln1b", "W1", "b1", "W2", "b2",
      "ln2g", "ln2b"};

  static String key(int layer, String name) {
    return "l" + layer + name;
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.addWeightParam("cls", shape("cls", dim, feedForward));
    for (int l = 0; l < layers; l++) {
      for (String name : LAYER_PARAMETERS) params.addWeightParam(key(l, name), shape(name, dim, feedForward));
    }
  }

  /**
   * As the reference: the CLS vector N(0, 1) (an nn.Embedding); one layer initialised and deep-copied
   * to all (nn.TransformerEncoder clones its layer); in that layer {@code in_proj} Xavier-uniform
   * over the whole [3·dim, dim] matrix with zero biases, the output projection's weights PyTorch's
   * Linear default U(±1/√in) with a zero bias, the feed-forward linears the Linear default for weights
   * and biases, LayerNorm gain 1 and bias 0.
   */
  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    INDArray cls = params.get("cls");
    cls.assign(Nd4j.randn(cls.dataType(), cls.shape()));
    Map<String, INDArray> first = new LinkedHashMap<>();
    for (String name : LAYER_PARAMETERS) {
      INDArray p = params.get(key(0, name));
      double bound = switch (name) {
        case "inW" -> Math.sqrt(6.0 / (dim + 3.0 * dim));
        case "outW", "W1", "b1" -> 1 / Math.sqrt(dim);
        case "W2", "b2" -> 1 / Math.sqrt(feedForward);
        default -> 0;
      };
      if (name.endsWith("g")) {
        p.assign(1.0);
      } else {
        p.assign(Nd4j.rand(p.dataType(), p.shape()).muli(2 * bound).subi(bound));
      }
      first.put(name, p);
    }
    for (int l = 1; l < layers; l++) {
      for (String name : LAYER_PARAMETERS) params.get(key(l, name)).assign(first.get(name));
    }
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
    SDVariable steps = input.permute(0, 2, 1);
    SDVariable firstStep = steps.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all());
    SDVariable sequence = sd.concat(1, firstStep.mul(0.0).add(p.get("cls")), steps); // [mb, T+1, dim]
    SDVariable shape = sequence.shape();
    SDVariable headShape = sd.concat(0, shape.get(SDIndex.interval(0, 2)),
        sd.constant(Nd4j.createFromArray((long) heads, (long) (dim / heads))));
    SDVariable m = mask.castTo(input.dataType());
    SDVariable firstMask = m.get(SDIndex.all(), SDIndex.interval(0, 1));
    SDVariable keys = sd.concat(1, firstMask.mul(0.0).add(1.0), m);
    SDVariable keyBias = sd.expandDims(sd.expandDims(keys.sub(1.0).mul(-MASKED), 1), 1); // [mb, 1, 1, T+1]
    double scale = 1 / Math.sqrt(dim / heads);
    SDVariable h = sequence.reshape(-1, dim);
    Map<String, INDArray> ones = dropoutMasks(new long[] {1, dim, 1}, false, input.dataType());
    for (Map.Entry<String, INDArray> e : ones.entrySet()) sd.var(e.getKey(), e.getValue());
    for (int l = 0; l < layers; l++) {
      SDVariable qkv = h.mmul(p.get(key(l, "inW"))).add(p.get(key(l, "inB")));
      SDVariable q = heads(qkv, 0, headShape).mul(scale);
      SDVariable k = heads(qkv, 1, headShape);
      SDVariable v = heads(qkv, 2, headShape);
      SDVariable weights = sd.nn.softmax(sd.mmul(q, k, false, true, false).add(keyBias), 3)
          .mul(sd.getVariable(key(l, DROPOUTS[0])));
      SDVariable context = sd.mmul(weights, v).permute(0, 2, 1, 3).reshape(-1, dim);
      SDVariable attention = context.mmul(p.get(key(l, "outW"))).add(p.get(key(l, "outB")));
      h = LayerNorm.rows(h.add(attention.mul(sd.getVariable(key(l, DROPOUTS[1])))), p.get(key(l, "ln1g")),
          p.get(key(l, "ln1b")), LAYER_NORM_EPS);
      SDVariable hidden = sd.nn.relu(h.mmul(p.get(key(l, "W1"))).add(p.get(key(l, "b1"))), 0.0)
          .mul(sd.getVariable(key(l, DROPOUTS[2])));
      SDVariable ff = hidden.mmul(p.get(key(l, "W2"))).add(p.get(key(l, "b2")));
      h = LayerNorm.rows(h.add(ff.mul(sd.getVariable(key(l, DROPOUTS[3])))), p.get(key(l, "ln2g")),
          p.get(key(l, "ln2b")), LAYER_NORM_EPS);
    }
    return h.reshape(shape).get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
  }

  /** Columns {@code part}·dim … of the q|k|v rows → [mb, heads, T+1, head size]. */
  private SDVariable heads(SDVariable qkv, int part, SDVariable headShape) {
    return qkv.get(SDIndex.all(), SDIndex.interval(part * dim, (part + 1) * dim)).reshape(headShape)
        .permute(0, 2, 1, 3);
  }

  @Override
  public Map<String, INDArray> dropoutMasks(long[] inputShape, boolean training, DataType type) {
    long mb = inputShape[0];
    long steps = inputShape[2] + 1;
    Map<String, INDArray> masks = new LinkedHashMap<>();
    for (int l = 0; l < layers; l++) {
      long[][] shapes = {{mb, heads, steps, steps}, {mb * steps, dim}, {mb * steps, feedForward}, {mb * steps, dim}};
      for (int i = 0; i < DROPOUTS.length; i++) {
        masks.put(key(l, DROPOUTS[i]), training && dropout > 0 ? keep(shapes[i], type)
            : Nd4j.ones(type, shapes[i].length == 4 ? new long[] {1, 1, 1, 1} : new long[] {1, 1}));
      }
    }
    return masks;
  }

  /** Inverted dropout: kept values scaled by 1 / (1 − p), as PyTorch's. */
  private INDArray keep(long[] shape, DataType type) {
    return Nd4j.rand(type, shape).gte(dropout).castTo(type).muli(1 / (1 - dropout));
  }

  /** Computed by hand ({@link TransformerEncoderLayer}); {@link #defineLayer} is its definition and the tests' reference. */
  @Override
  org.deeplearning4j.nn.layers.samediff.SameDiffLayer runtime(NeuralNetConfiguration conf, DataType dataType) {
    return new TransformerEncoderLayer(conf, dataType);
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

  public double getDropout() {
    return dropout;
  }

  public void setDropout(double dropout) {
    this.dropout = dropout;
  }
}
