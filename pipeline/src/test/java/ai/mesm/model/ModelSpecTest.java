package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigKeys;
import ai.mesm.config.InvalidConfigException;
import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.model.albert.AlbertFixture;
import ai.mesm.model.text.WordPieceTokenizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private static final List<Modality> TAV = List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL);
  private static final double[] WEIGHTS = {1, 2, 3, 0.5, 1.5, 4};

  /** The spec as a saved model's manifest holds it. */
  private static JsonObject json(ModelSpec spec) {
    String manifest = ModelArtifactTest.manifest(spec).json();
    return JsonParser.parseString(manifest).getAsJsonObject().getAsJsonObject("spec");
  }

  @Test
  void theManifestKeepsItsSpecFieldsInTheirOrder() {
    // Saved models are read by other versions: the builder must not change what a manifest says.
    assertEquals(List.of("type", "modalities", "classes", "dim", "heads", "layers", "feedForward", "dropout",
            "positionalEncoding", "textPositions", "vocabSize", "maxTokens", "faceSize", "melBins", "chunkFrames",
            "channelDivisor", "positiveWeights", "learningRate", "seed", "topP", "attentionGradient"),
        List.copyOf(json(RandomInputs.tinySpec(TAV, true)).keySet()));
  }

  @Test
  void settingsReadTheConfiguredModel() {
    MesmConfig config = MesmConfig.defaults().with(Map.of(ConfigKeys.MODEL_TYPE, "mesm", ConfigKeys.MESM_TOP_P, "0.4"));
    ModelSpec spec = ModelSettings.spec(config, TAV, DatasetKind.IEMOCAP, WordPieceTokenizer.numbered(300), WEIGHTS);
    assertEquals("mesm", spec.type());
    assertEquals(TAV, spec.modalities());
    assertEquals(DatasetKind.IEMOCAP.classes().size(), spec.classes());
    assertEquals(config.getInt(ConfigKeys.MODEL_DIM), spec.dim());
    assertEquals(config.getInt(ConfigKeys.TEXT_MAX_LENGTH_MESM), spec.maxTokens(), "MESM's text length");
    assertEquals(300, spec.vocabSize());
    assertEquals(config.getInt(ConfigKeys.FACE_SIZE), spec.faceSize());
    assertEquals(config.getInt(ConfigKeys.AUDIO_N_MELS), spec.melBins());
    assertEquals(0.4, spec.topP());
    assertEquals(config.getLong(ConfigKeys.SEED), spec.seed());
    assertArrayEquals(WEIGHTS, spec.positiveWeights());
    assertNull(spec.albert());

    ModelSpec fe2e = ModelSettings.spec(MesmConfig.defaults(), List.of(Modality.AUDIO), DatasetKind.IEMOCAP, null, WEIGHTS);
    assertEquals(MesmConfig.defaults().getInt(ConfigKeys.TEXT_MAX_LENGTH_FE2E), fe2e.maxTokens());
    assertEquals(0, fe2e.vocabSize(), "no tokenizer, no vocabulary");
  }

  @Test
  void aTextLengthBeyondAlbertsPositionsNamesTheKey() throws IOException {
    var albert = AlbertFixture.spec("fe2e", List.of(Modality.TEXT), 10, 1e-3).albert();
    MesmConfig config = MesmConfig.defaults().with(Map.of(ConfigKeys.MODEL_TYPE, "mesm"));
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelSettings.spec(config, TAV,
        DatasetKind.IEMOCAP, WordPieceTokenizer.numbered(albert.config().vocabSize()), WEIGHTS, albert));
    assertEquals(ConfigKeys.TEXT_MAX_LENGTH_MESM, e.problems().get(0).key());
    assertTrue(e.getMessage().contains("max_position_embeddings"), e.getMessage());
    // A model without text ignores the encoder instead of checking it.
    assertNull(ModelSettings.spec(config.with(Map.of(ConfigKeys.MODEL_TYPE, "fe2e")), List.of(Modality.AUDIO),
        DatasetKind.IEMOCAP, null, WEIGHTS, albert).albert());
  }

  @Test
  void withTopPCopiesAndValidates() {
    ModelSpec spec = MesmGraphTest.mesm(0.7, "scaled");
    ModelSpec other = spec.withTopP(0.3);
    assertEquals(0.3, other.topP());
    assertEquals(0.7, spec.topP(), "the original is unchanged");
    JsonObject expected = json(spec);
    expected.addProperty("topP", 0.3);
    assertEquals(expected, json(other));
    assertThrows(IllegalArgumentException.class, () -> spec.withTopP(0));
    assertThrows(IllegalArgumentException.class, () -> spec.withTopP(1.5));
  }

  @Test
  void resultTablesNameTypeModalitiesTopPAndALearningAttention() {
    assertEquals("MESM (T+A+V, p=0.7)", ai.mesm.stage.TrainRunner.label(MesmGraphTest.mesm(0.7, "reference")));
    assertEquals("MESM (T+A+V, p=0.7, scaled)", ai.mesm.stage.TrainRunner.label(MesmGraphTest.mesm(0.7, "scaled")));
    assertEquals("FE2E (T+A+V)", ai.mesm.stage.TrainRunner.label(RandomInputs.tinySpec(TAV, false)));
  }

  @Test
  void theBuilderValidatesAndNeedsEverySetting() {
    ModelSpec spec = RandomInputs.tinySpec(TAV, false);
    assertEquals(json(spec), json(spec.toBuilder().build()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.builder().modalities(TAV).positiveWeights(WEIGHTS).attentionGradient("reference").build());
    assertTrue(e.getMessage().contains("type"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> spec.toBuilder().heads(0).build());
    assertThrows(IllegalArgumentException.class, () -> spec.toBuilder().classes(5).build(), "6 weights for 5 classes");
    double[] weights = WEIGHTS.clone();
    ModelSpec built = spec.toBuilder().positiveWeights(weights).build();
    weights[0] = 99;
    assertEquals(WEIGHTS[0], built.positiveWeights()[0], "the builder keeps its own copy");
  }
}
