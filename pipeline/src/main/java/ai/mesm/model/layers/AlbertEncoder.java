package ai.mesm.model.layers;

import ai.mesm.model.albert.AlbertConfig;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * ALBERT's encoder after the word-embedding lookup (which DL4J's EmbeddingSequenceLayer does in
 * front of this layer: SameDiff's gather has no usable gradient in M2.1): position and token-type
 * embeddings (type 0), the embedding LayerNorm, the embedding→hidden projection, then ONE layer's
 * weights applied {@code numHiddenLayers} times, each pass post-LayerNorm attention (q/k/v with
 * biases, padded keys masked) and a feed-forward block, as Hugging Face's {@code AlbertModel}.
 * Input [mb, embedding, T] with T = the fixed token length; output the last layer's [CLS]
 * (first) position, [mb, hidden]: the paper's text vector q. Every LayerNorm uses the checkpoint's
 * layer_norm_eps ({@link LayerNorm}).
 *
 * <p>Linear weights are held [in, out] (rows times weight); checkpoints store them [out, in],
 * which {@link ai.mesm.model.albert.AlbertWeights} transposes on load.
 */
public final class AlbertEncoder extends SequenceEncoderLayer {
  /** Parameter names, in the order the graph holds them (the manifest's layout hash depends on it). */
  public static final List<String> PARAMETERS = List.of("pos", "type", "embLnG", "embLnB", "mapW", "mapB",
      "qW", "qB", "kW", "kB", "vW", "vB", "oW", "oB", "attLnG", "attLnB", "ffnW", "ffnB", "outW", "outB",
      "ffnLnG", "ffnLnB");
  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

  private int vocabSize;
  private int embeddingSize;
  private int hiddenSize;
  private int layers;
  private int heads;
  private int intermediateSize;
  private String activation;
  private int maxPositions;
  private int typeVocabSize;
  private double initializerRange;
  private double layerNormEps;
  private int tokens;

  public AlbertEncoder() {}

  /** @param tokens the fixed sequence length the graph feeds (ModelSpec keeps it within max_position_embeddings) */
  public AlbertEncoder(AlbertConfig config, int tokens, IUpdater updater) {
    this.vocabSize = config.vocabSize();
    this.embeddingSize = config.embeddingSize();
    this.hiddenSize = config.hiddenSize();
    this.layers = config.numHiddenLayers();
    this.heads = config.numAttentionHeads();
    this.intermediateSize = config.intermediateSize();
    this.activation = config.hiddenAct();
    this.maxPositions = config.maxPositionEmbeddings();
    this.typeVocabSize = config.typeVocabSize();
    this.initializerRange = config.initializerRange();
    this.layerNormEps = config.layerNormEps();
    this.tokens = tokens;
    setUpdater(updater);
    setBiasUpdater(updater);
  }

  /** The shape this layer holds parameter {@code name} in. */
  public long[] shape(String name) {
    long e = embeddingSize;
    long h = hiddenSize;
    long i = intermediateSize;
    return switch (name) {
      case "pos" -> new long[] {maxPositions, e};
      case "type" -> new long[] {typeVocabSize, e};
      case "embLnG", "embLnB" -> new long[] {e};
      case "mapW" -> new long[] {e, h};
      case "qW", "kW", "vW", "oW" -> new long[] {h, h};
      case "mapB", "qB", "kB", "vB", "oB", "outB" -> new long[] {1, h};
      case "attLnG", "attLnB", "ffnLnG", "ffnLnB" -> new long[] {h};
      case "ffnW" -> new long[] {h, i};
      case "ffnB" -> new long[] {1, i};
      case "outW" -> new long[] {i, h};
      default -> throw new IllegalArgumentException("no ALBERT parameter " + name);
    };
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    for (String name : PARAMETERS) params.addWeightParam(name, shape(name));
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    // Hugging Face's initialisation: what a checkpoint then overwrites, and what a benchmark at random weights uses.
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String name = e.getKey();
      INDArray p = e.getValue();
      if (name.endsWith("LnG")) {
        p.assign(1.0);
      } else if (name.endsWith("B")) {
        p.assign(0.0);
      } else {
        p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(initializerRange));
      }
    }
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
    SDVariable positions = p.get("pos").get(SDIndex.interval(0, tokens), SDIndex.all());
    SDVariable typeZero = p.get("type").get(SDIndex.interval(0, 1), SDIndex.all());
    SDVariable embedded = input.permute(0, 2, 1).add(positions).add(typeZero).reshape(-1, embeddingSize);
    SDVariable x = LayerNorm.rows(embedded, p.get("embLnG"), p.get("embLnB"), layerNormEps);
    SDVariable h = linear(x, p, "map");
    SDVariable keys = mask.castTo(input.dataType());
    for (int l = 0; l < layers; l++) {
      SDVariable attention = sd.nn.dotProductAttention(heads(linear(h, p, "q")), heads(linear(h, p, "k")),
          heads(linear(h, p, "v")), keys, true);
      SDVariable context = attention.permute(0, 3, 1, 2).reshape(-1, hiddenSize);
      h = LayerNorm.rows(h.add(linear(context, p, "o")), p.get("attLnG"), p.get("attLnB"), layerNormEps);
      SDVariable ff = linear(activate(sd, linear(h, p, "ffn")), p, "out");
      h = LayerNorm.rows(ff.add(h), p.get("ffnLnG"), p.get("ffnLnB"), layerNormEps);
    }
    return h.reshape(-1, tokens, hiddenSize).get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
  }

  private static SDVariable linear(SDVariable rows, Map<String, SDVariable> p, String name) {
    return rows.mmul(p.get(name + "W")).add(p.get(name + "B"));
  }

  /** [mb·T, hidden] rows → [mb, heads, head size, T], the layout of ND4J's dot-product attention. */
  private SDVariable heads(SDVariable rows) {
    return rows.reshape(-1, tokens, heads, hiddenSize / heads).permute(0, 2, 3, 1);
  }

  private SDVariable activate(SameDiff sd, SDVariable x) {
    if (activation.equals("relu")) return sd.nn.relu(x, 0.0);
    if (activation.equals("gelu")) return x.mul(0.5).mul(sd.math.erf(x.mul(Math.sqrt(0.5))).add(1.0));
    // gelu_new: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), written out: ND4J's gelu ops use other approximations.
    SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(0.5).mul(sd.math.tanh(inner).add(1.0));
  }

  /** Computed by hand ({@link AlbertEncoderLayer}); {@link #defineLayer} is its definition and the tests' reference. */
  @Override
  org.deeplearning4j.nn.layers.samediff.SameDiffLayer runtime(NeuralNetConfiguration conf, DataType dataType) {
    return new AlbertEncoderLayer(conf, dataType);
  }

  @Override
  long inputSize() {
    return embeddingSize;
  }

  @Override
  long outputSize() {
    return hiddenSize;
  }

  // Bean accessors: DL4J copies layer configurations through them (and Jackson, for its own clones).
  public int getVocabSize() { return vocabSize; }
  public void setVocabSize(int v) { vocabSize = v; }
  public int getEmbeddingSize() { return embeddingSize; }
  public void setEmbeddingSize(int v) { embeddingSize = v; }
  public int getHiddenSize() { return hiddenSize; }
  public void setHiddenSize(int v) { hiddenSize = v; }
  public int getLayers() { return layers; }
  public void setLayers(int v) { layers = v; }
  public int getHeads() { return heads; }
  public void setHeads(int v) { heads = v; }
  public int getIntermediateSize() { return intermediateSize; }
  public void setIntermediateSize(int v) { intermediateSize = v; }
  public String getActivation() { return activation; }
  public void setActivation(String v) { activation = v; }
  public int getMaxPositions() { return maxPositions; }
  public void setMaxPositions(int v) { maxPositions = v; }
  public int getTypeVocabSize() { return typeVocabSize; }
  public void setTypeVocabSize(int v) { typeVocabSize = v; }
  public double getInitializerRange() { return initializerRange; }
  public void setInitializerRange(double v) { initializerRange = v; }
  public double getLayerNormEps() { return layerNormEps; }
  public void setLayerNormEps(double v) { layerNormEps = v; }
  public int getTokens() { return tokens; }
  public void setTokens(int v) { tokens = v; }
}
