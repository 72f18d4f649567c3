package ai.mesm.model;

import ai.mesm.model.albert.PretrainedText;
import java.util.List;

/**
 * Everything needed to build a model graph, independent of Spark and of configuration files: the
 * manifest stores it, so that a saved model can be rebuilt and checked against its inputs.
 *
 * <p>Code builds one with {@link #builder()} (named settings, validated here on {@link Builder#build()}),
 * or from a configuration with {@link ModelSettings#spec}. The canonical constructor stays public only
 * because a record's must (JLS 8.10.4) and because Gson rebuilds a loaded manifest's spec through it,
 * so a foreign manifest passes the same checks; nothing else calls it.
 *
 * @param modalities      inputs the model takes, canonical T, A, V order
 * @param dropout         dropout inside each Transformer layer (PyTorch's four places)
 * @param positionalEncoding sinusoidal positions into the audio and visual encoders (the reference has none)
 * @param textPositions   sinusoidal positions into the text Transformer (not ALBERT, which has its own)
 * @param vocabSize       text vocabulary size (tokenizer's)
 * @param maxTokens       token sequence length, [CLS] and [SEP] included
 * @param faceSize        face crop side (48)
 * @param melBins         mel bins per chunk (128)
 * @param chunkFrames     spectrogram frames per chunk (32)
 * @param channelDivisor  CNN channel widths divided by this (1 = the paper's network)
 * @param positiveWeights BCE positive weight per class (train negatives / positives)
 * @param albert          the pretrained ALBERT text encoder; null = the Transformer trained from scratch
 */
public record ModelSpec(String type, List<Modality> modalities, int classes, int dim, int heads, int layers,
                        int feedForward, double dropout, boolean positionalEncoding, boolean textPositions,
                        int vocabSize, int maxTokens,
                        int faceSize, int melBins, int chunkFrames, int channelDivisor, double[] positiveWeights,
                        double learningRate, long seed, double topP, String attentionGradient,
                        PretrainedText albert) {

  public ModelSpec {
    modalities = List.copyOf(modalities);
    positiveWeights = positiveWeights.clone();
    if (positiveWeights.length != classes) {
      throw new IllegalArgumentException(positiveWeights.length + " positive weights for " + classes + " classes");
    }
    if (!type.equals("fe2e") && !type.equals("mesm")) throw new IllegalArgumentException("model type must be fe2e or mesm, got " + type);
    if (type.equals("mesm")) {
      if (!modalities.contains(Modality.TEXT)) {
        throw new IllegalArgumentException("MESM needs text: its sparse blocks attend with the text encoder's CLS vector");
      }
      if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("model.mesm.top-p must be in (0, 1], got " + topP);
      ai.mesm.model.sparse.AttentionMode.valueOf(attentionGradient.toUpperCase(java.util.Locale.ROOT));
    }
    // A manifest from another team decides how large a graph is built: absurd sizes would exhaust
    // memory before the weights could be checked, so sizes far beyond any real model are refused.
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    within("classes", classes, 1, 1_000);
    within("dim", dim, 1, 8_192);
    within("heads", heads, 1, 256);
    within("layers", layers, 1, 128);
    within("feedForward", feedForward, 1, 65_536);
    within("vocabSize", vocabSize, 0, 1_000_000);
    within("maxTokens", maxTokens, 1, 8_192);
    within("faceSize", faceSize, 1, 1_024);
    within("melBins", melBins, 1, 1_024);
    within("chunkFrames", chunkFrames, 1, 4_096);
    if (albert != null && modalities.contains(Modality.TEXT)) {
      if (albert.config().vocabSize() != vocabSize) {
        throw new IllegalArgumentException("the tokenizer has " + vocabSize + " pieces, the ALBERT checkpoint's vocab_size is "
            + albert.config().vocabSize());
      }
      if (maxTokens > albert.config().maxPositionEmbeddings()) {
        throw new IllegalArgumentException(maxTokens + " tokens per text, but the ALBERT checkpoint has only "
            + albert.config().maxPositionEmbeddings() + " positions (max_position_embeddings)");
      }
    }
    if (channelDivisor < 1 || 64 % channelDivisor != 0) {
      throw new IllegalArgumentException("model.cnn.channel-divisor must divide 64, got " + channelDivisor);
    }
  }

  private static void within(String name, int value, int min, int max) {
    Bounds.within("model spec " + name, value, min, max);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's settings, to change some of them. */
  public Builder toBuilder() {
    return builder().type(type).modalities(modalities).classes(classes).dim(dim).heads(heads).layers(layers)
        .feedForward(feedForward).dropout(dropout).positionalEncoding(positionalEncoding).textPositions(textPositions)
        .vocabSize(vocabSize).maxTokens(maxTokens).faceSize(faceSize).melBins(melBins).chunkFrames(chunkFrames)
        .channelDivisor(channelDivisor).positiveWeights(positiveWeights).learningRate(learningRate).seed(seed)
        .topP(topP).attentionGradient(attentionGradient).albert(albert);
  }

  /** The same model reading another text length (benchmarks fix it at 100 tokens). */
  public ModelSpec withMaxTokens(int tokens) {
    return toBuilder().maxTokens(tokens).build();
  }

  /** The same model keeping another nucleus mass per frame (the top-p sweep, benchmarks). */
  public ModelSpec withTopP(double p) {
    return toBuilder().topP(p).build();
  }

  /** Size of the text vector the text encoder gives (MESM's query): ALBERT's hidden size, else dim. */
  public int textVectorSize() {
    return albert != null ? albert.config().hiddenSize() : dim;
  }

  public boolean isMesm() {
    return type.equals("mesm");
  }

  /** model.mesm.attention-gradient as the enum (reference | scaled). */
  public ai.mesm.model.sparse.AttentionMode attentionMode() {
    return ai.mesm.model.sparse.AttentionMode.valueOf(attentionGradient.toUpperCase(java.util.Locale.ROOT));
  }

  public boolean uses(Modality m) {
    return modalities.contains(m);
  }

  /** Values per visual time step: 3 · size · size. */
  public int visualFeatures() {
    return 3 * faceSize * faceSize;
  }

  /** Values per audio time step: mel bins · chunk frames. */
  public int audioFeatures() {
    return melBins * chunkFrames;
  }

  @Override
  public double[] positiveWeights() {
    return positiveWeights.clone();
  }

  /**
   * Named settings of a {@link ModelSpec}; {@link #build()} checks them. No setting has a default
   * (only {@code albert}, null: the text encoder trained from scratch), so a forgotten one fails
   * instead of silently building another model.
   */
  public static final class Builder {
    private String type;
    private List<Modality> modalities;
    private int classes;
    private int dim;
    private int heads;
    private int layers;
    private int feedForward;
    private double dropout;
    private boolean positionalEncoding;
    private boolean textPositions;
    private int vocabSize;
    private int maxTokens;
    private int faceSize;
    private int melBins;
    private int chunkFrames;
    private int channelDivisor;
    private double[] positiveWeights;
    private double learningRate;
    private long seed;
    private double topP;
    private String attentionGradient;
    private PretrainedText albert;

    private Builder() {}

    /** fe2e | mesm */
    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder modalities(List<Modality> modalities) {
      this.modalities = modalities;
      return this;
    }

    public Builder classes(int classes) {
      this.classes = classes;
      return this;
    }

    public Builder dim(int dim) {
      this.dim = dim;
      return this;
    }

    public Builder heads(int heads) {
      this.heads = heads;
      return this;
    }

    public Builder layers(int layers) {
      this.layers = layers;
      return this;
    }

    public Builder feedForward(int feedForward) {
      this.feedForward = feedForward;
      return this;
    }

    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    public Builder positionalEncoding(boolean positionalEncoding) {
      this.positionalEncoding = positionalEncoding;
      return this;
    }

    public Builder textPositions(boolean textPositions) {
      this.textPositions = textPositions;
      return this;
    }

    public Builder vocabSize(int vocabSize) {
      this.vocabSize = vocabSize;
      return this;
    }

    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder faceSize(int faceSize) {
      this.faceSize = faceSize;
      return this;
    }

    public Builder melBins(int melBins) {
      this.melBins = melBins;
      return this;
    }

    public Builder chunkFrames(int chunkFrames) {
      this.chunkFrames = chunkFrames;
      return this;
    }

    public Builder channelDivisor(int channelDivisor) {
      this.channelDivisor = channelDivisor;
      return this;
    }

    public Builder positiveWeights(double[] positiveWeights) {
      this.positiveWeights = positiveWeights.clone();
      return this;
    }

    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder topP(double topP) {
      this.topP = topP;
      return this;
    }

    /** reference | scaled */
    public Builder attentionGradient(String attentionGradient) {
      this.attentionGradient = attentionGradient;
      return this;
    }

    /** The pretrained ALBERT text encoder; null (the default) = the Transformer trained from scratch. */
    public Builder albert(PretrainedText albert) {
      this.albert = albert;
      return this;
    }

    public ModelSpec build() {
      return new ModelSpec(required("type", type), required("modalities", modalities), classes, dim, heads, layers,
          feedForward, dropout, positionalEncoding, textPositions, vocabSize, maxTokens, faceSize, melBins,
          chunkFrames, channelDivisor, required("positiveWeights", positiveWeights), learningRate, seed, topP,
          required("attentionGradient", attentionGradient), albert);
    }

    private static <T> T required(String name, T value) {
      if (value == null) throw new IllegalArgumentException("model spec " + name + " is not set");
      return value;
    }
  }
}
