package ai.mesm.model;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.InvalidConfigException;
import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.data.DatasetKind;
import ai.mesm.model.albert.PretrainedText;
import ai.mesm.model.text.TextTokenizer;
import java.util.List;
import java.util.Optional;

/**
 * The one place where the model keys of a configuration (mesm.model.*, with the media sizes, learning
 * rate and seed the graph is built with) become a {@link ModelSpec}: training, benchmarks and tests
 * all go through here, so a spec never depends on who asked for it.
 */
public final class ModelSettings {
  private ModelSettings() {}

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.oneOf(MODEL_TYPE, "fe2e", "mesm"),
        Rules.subsetOf(MODEL_MODALITIES, "t", "a", "v"),
        Rules.atLeast(MODEL_DIM, 1),
        Rules.atLeast(MODEL_HEADS, 1),
        new Rule(MODEL_HEADS, c -> c.getInt(MODEL_DIM) % c.getInt(MODEL_HEADS) != 0
            ? Optional.of("must divide " + MODEL_DIM + " (" + c.getInt(MODEL_DIM) + ")") : Optional.empty()),
        Rules.atLeast(MODEL_LAYERS, 1),
        Rules.atLeast(MODEL_FEED_FORWARD, 1),
        new Rule(MODEL_DROPOUT, c -> c.getDouble(MODEL_DROPOUT) < 0 || c.getDouble(MODEL_DROPOUT) >= 1
            ? Optional.of("must be in [0, 1), was " + c.getDouble(MODEL_DROPOUT)) : Optional.empty()),
        new Rule(MODEL_CNN_CHANNEL_DIVISOR, c -> {
          int d = c.getInt(MODEL_CNN_CHANNEL_DIVISOR);
          return d >= 1 && 64 % d == 0 ? Optional.empty() : Optional.of("must divide 64 (1, 2, 4, …, 64), was " + d);
        }),
        Rules.atLeast(TEXT_MAX_LENGTH_FE2E, 3),
        Rules.atLeast(TEXT_MAX_LENGTH_MESM, 3),
        new Rule(MESM_TOP_P, c -> c.getDouble(MESM_TOP_P) > 0 && c.getDouble(MESM_TOP_P) <= 1 ? Optional.empty()
            : Optional.of("must be in (0, 1], was " + c.getDouble(MESM_TOP_P))),
        Rules.oneOf(MESM_ATTENTION_GRADIENT, "reference", "scaled"),
        Rules.oneOf(MESM_KERNELS, "auto", "native", "java"),
        Rules.oneOf(MODEL_CNN_KERNELS, "auto", "native", "java"),
        Rules.positive(TRAIN_LEARNING_RATE));
  }

  public static ModelSpec spec(MesmConfig config, List<Modality> modalities, DatasetKind dataset,
                               TextTokenizer tokenizer, double[] positiveWeights) {
    return spec(config, modalities, dataset, tokenizer, positiveWeights, null);
  }

  /**
   * @param tokenizer the text tokenizer (its vocabulary size); null for a model without text
   * @param albert    the pretrained text encoder, null for the one trained from scratch; ignored when
   *                  the model reads no text
   * @throws InvalidConfigException when the configured text length exceeds ALBERT's positions, naming the key
   */
  public static ModelSpec spec(MesmConfig config, List<Modality> modalities, DatasetKind dataset,
                               TextTokenizer tokenizer, double[] positiveWeights, PretrainedText albert) {
    String type = type(config);
    String lengthKey = type.equals("mesm") ? TEXT_MAX_LENGTH_MESM : TEXT_MAX_LENGTH_FE2E;
    int maxTokens = config.getInt(lengthKey);
    if (albert != null && maxTokens > albert.config().maxPositionEmbeddings()) {
      throw new InvalidConfigException(lengthKey, "is " + maxTokens + ", but the ALBERT checkpoint has only "
          + albert.config().maxPositionEmbeddings() + " positions (max_position_embeddings)");
    }
    return ModelSpec.builder()
        .type(type)
        .modalities(modalities)
        .classes(dataset.classes().size())
        .dim(config.getInt(MODEL_DIM))
        .heads(config.getInt(MODEL_HEADS))
        .layers(config.getInt(MODEL_LAYERS))
        .feedForward(config.getInt(MODEL_FEED_FORWARD))
        .dropout(config.getDouble(MODEL_DROPOUT))
        .positionalEncoding(config.getBoolean(MODEL_POSITIONAL))
        .textPositions(config.getBoolean(MODEL_TEXT_POSITIONAL))
        .vocabSize(tokenizer == null ? 0 : tokenizer.vocabSize())
        .maxTokens(maxTokens)
        .faceSize(config.getInt(FACE_SIZE))
        .melBins(config.getInt(AUDIO_N_MELS))
        .chunkFrames(config.getInt(AUDIO_CHUNK_FRAMES))
        .channelDivisor(config.getInt(MODEL_CNN_CHANNEL_DIVISOR))
        .positiveWeights(positiveWeights)
        .learningRate(config.getDouble(TRAIN_LEARNING_RATE))
        .seed(config.getLong(SEED))
        .topP(config.getDouble(MESM_TOP_P))
        .attentionGradient(attentionGradient(config))
        .albert(modalities.contains(Modality.TEXT) ? albert : null)
        .build();
  }

  /** mesm.model.type: fe2e | mesm. */
  public static String type(MesmConfig config) {
    return config.getString(MODEL_TYPE);
  }

  /** mesm.model.mesm.attention-gradient: reference | scaled. */
  public static String attentionGradient(MesmConfig config) {
    return config.getString(MESM_ATTENTION_GRADIENT);
  }

  /** mesm.model.modalities, parsed by {@link Modality#parse}. */
  public static List<Modality> modalities(MesmConfig config) {
    return Modality.parse(config.getStringList(MODEL_MODALITIES));
  }

  /** mesm.model.mesm.kernels and mesm.model.cnn.kernels, for {@link Kernels#apply} on another JVM. */
  public static Kernels kernels(MesmConfig config) {
    return new Kernels(config.getString(MESM_KERNELS), config.getString(MODEL_CNN_KERNELS));
  }

  /**
   * Makes this JVM run the model's kernels (MESM's sparse convolutions, the CNNs' training layers) as
   * configured: each stage that builds or loads a model calls it on the driver, and the Spark
   * functions that run models apply {@link #kernels} on each executor.
   */
  public static void useConfiguredKernels(MesmConfig config) {
    kernels(config).apply();
  }
}
