package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.bench.ModelThroughput;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.Batch;
import ai.mesm.model.text.WordPieceTokenizer;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {
  private static final float[] MEAN = VisualNormalisation.defaults().mean();
  private static final float[] STD = VisualNormalisation.defaults().std();
  private static final List<Modality> TAV = List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL);

  static ModelManifest manifest(ModelSpec spec) {
    return manifest(spec, ModelManifest.FORMAT);
  }

  static ModelManifest manifest(ModelSpec spec, int format) {
    return new ModelManifest(format, "fe2e-test", "iemocap", List.of("ang", "exc", "fru", "hap", "neu", "sad"),
        spec, new double[] {0.05, 0.1, 0.5, 0.95, 0.3, 0.35}, MEAN, STD, "test", "abc", "now", new JsonObject());
  }

  /** A model one step away from its initial state: parameters, BatchNorm statistics, updater and step counter moved. */
  private static EmotionModel trained(ModelSpec spec, Batch batch) {
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), MEAN, STD);
    model.fit(batch);
    return model;
  }

  @Test
  void savedModelLoadsBackWithIdenticalPredictionsAndManifest(@TempDir Path dir) throws IOException {
    ModelSpec spec = RandomInputs.tinySpec(TAV, true);
    Batch batch = ModelThroughput.randomBatch(spec, 3, 4, 2, 11);
    EmotionModel model = trained(spec, batch);
    double[][] before = model.probabilities(batch);

    String location = dir.resolve("model").toString();
    ModelArtifact.save(model, manifest(spec), location, new Configuration());
    for (String f : List.of("_manifest.json", ModelArtifact.TOKENIZER, ModelArtifact.PARAMETERS, ModelArtifact.UPDATER,
        ModelArtifact.WEIGHTS)) {
      assertTrue(Files.isRegularFile(dir.resolve("model/" + f)), f);
    }
    assertFalse(Files.exists(dir.resolve("model/model.zip")), "DL4J's serializer is not used");
    ModelArtifact.Loaded loaded = ModelArtifact.load(location, new Configuration());

    assertArrayEquals(before, loaded.model().probabilities(batch));
    assertEquals(spec.modalities(), loaded.manifest().spec().modalities());
    assertArrayEquals(spec.positiveWeights(), loaded.manifest().spec().positiveWeights());
    assertArrayEquals(new double[] {0.05, 0.1, 0.5, 0.95, 0.3, 0.35}, loaded.manifest().thresholds());
    assertEquals(((WordPieceTokenizer) model.tokenizer()).toJson(), ((WordPieceTokenizer) loaded.model().tokenizer()).toJson());
    assertNotNull(loaded.model().graph().getUpdater().getStateViewArray(), "optimizer state kept for resuming");
    assertEquals(model.graph().getUpdater().getStateViewArray(), loaded.model().graph().getUpdater().getStateViewArray());
    assertContinuesTheSame(model, loaded.model(), spec);
  }

  @Test
  void mesmKeepsItsSparseBlocksAndTheirBatchNormStatistics(@TempDir Path dir) throws IOException {
    ModelSpec spec = MesmGraphTest.mesm(0.7, "scaled");
    Batch batch = ModelThroughput.randomBatch(spec, 3, 4, 2, 5);
    EmotionModel model = trained(spec, batch);
    assertNotEquals(0.0, model.sparseVertex(Modality.VISUAL).paramTable(false).get("b0bn1Mean").norm2Number()
        .doubleValue(), "training moved the sparse blocks' running mean away from its initial 0");
    double[][] before = model.probabilities(batch);
    ModelArtifact.save(model, manifest(spec), dir.toString(), new Configuration());

    EmotionModel loaded = ModelArtifact.load(dir.toString(), new Configuration()).model();
    assertArrayEquals(before, loaded.probabilities(batch), "inference reads the sparse BatchNorm running statistics");
    assertContinuesTheSame(model, loaded, spec);
  }

  /** Another step on both gives the same parameters: the optimiser state and Adam's step counter came back too. */
  private static void assertContinuesTheSame(EmotionModel original, EmotionModel loaded, ModelSpec spec) {
    assertEquals(original.graph().getConfiguration().getIterationCount(),
        loaded.graph().getConfiguration().getIterationCount());
    Batch next = ModelThroughput.randomBatch(spec, 2, 3, 2, 12);
    original.fit(next);
    loaded.fit(next);
    assertEquals(original.graph().params(), loaded.graph().params());
  }

  @Test
  void damagedOrForeignWeightsAreRefusedNamingTheFileAndTheProblem(@TempDir Path dir) throws IOException {
    ModelSpec spec = RandomInputs.tinySpec(TAV, false);
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), MEAN, STD);
    Path good = dir.resolve("good");
    ModelArtifact.save(model, manifest(spec), good.toString(), new Configuration());
    ModelSpec av = RandomInputs.tinySpec(List.of(Modality.AUDIO, Modality.VISUAL), false);
    Path other = dir.resolve("other");
    ModelArtifact.save(EmotionModel.create(av, null, MEAN, STD), manifest(av), other.toString(), new Configuration());

    byte[] parameters = Files.readAllBytes(good.resolve(ModelArtifact.PARAMETERS));
    long values = (parameters.length - 24) / 4;
    assertRefused(good, dir.resolve("cut"), ModelArtifact.PARAMETERS, cut(parameters, 20 + 4 * 1000 + 2),
        "truncated: 1000 of " + values + " values");
    byte[] flipped = parameters.clone();
    flipped[parameters.length / 2] ^= 0x10;
    assertRefused(good, dir.resolve("flipped"), ModelArtifact.PARAMETERS, flipped, "checksum mismatch");
    byte[] foreign = Files.readAllBytes(other.resolve(ModelArtifact.PARAMETERS));
    assertRefused(good, dir.resolve("foreign"), ModelArtifact.PARAMETERS, foreign,
        "holds " + (foreign.length - 24) / 4 + " values, the model described by the manifest has " + values);
    byte[] longer = java.util.Arrays.copyOf(parameters, parameters.length + 1);
    assertRefused(good, dir.resolve("longer"), ModelArtifact.PARAMETERS, longer, "more bytes after the end");
    byte[] updater = Files.readAllBytes(good.resolve(ModelArtifact.UPDATER));
    assertRefused(good, dir.resolve("updater"), ModelArtifact.UPDATER, cut(updater, updater.length / 2), "truncated: ");
    assertRefused(good, dir.resolve("garbage"), ModelArtifact.PARAMETERS, "these bytes are not numbers".getBytes(),
        "not a MESM array file");
  }

  private static byte[] cut(byte[] bytes, int length) {
    return java.util.Arrays.copyOf(bytes, length);
  }

  /** A copy of {@code good} with {@code file} replaced must fail to load with a message naming it and {@code problem}. */
  private static void assertRefused(Path good, Path copy, String file, byte[] content, String problem) throws IOException {
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(good)) {
      for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
    }
    Files.write(copy.resolve(file), content);
    IOException e = assertThrows(IOException.class, () -> ModelArtifact.load(copy.toString(), new Configuration()));
    assertTrue(e.getMessage().contains(copy.resolve(file).toString()) && e.getMessage().contains(problem), e.getMessage());
  }

  /**
   * Folders of formats 1 (DL4J's model.zip) and 2 hold the weights of the graph before the encoders
   * equalled the reference's: refused with what to do, never loaded into the wrong places.
   */
  @Test
  void foldersOfEarlierFormatsAreRefusedWithWhatToDo(@TempDir Path dir) throws IOException {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.AUDIO, Modality.VISUAL), false);
    String location = dir.resolve("model").toString();
    ModelArtifact.save(EmotionModel.create(spec, null, MEAN, STD), manifest(spec), location, new Configuration());
    for (int format : new int[] {1, 2}) {
      Files.writeString(dir.resolve("model/_manifest.json"), manifest(spec, format).json());
      IOException e = assertThrows(IOException.class, () -> ModelArtifact.load(location, new Configuration()));
      assertTrue(e.getMessage().contains(location) && e.getMessage().contains("format " + format)
          && e.getMessage().contains("Train it again"), e.getMessage());
    }
  }

  /** The id names the scores folder (deleted on overwrite) and report files: it must stay one plain name. */
  @Test
  void aModelIdThatWouldEscapeItsFolderIsRefused(@TempDir Path dir) throws IOException {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.AUDIO, Modality.VISUAL), false);
    EmotionModel model = EmotionModel.create(spec, null, MEAN, STD);
    String location = dir.resolve("model").toString();
    ModelArtifact.save(model, manifest(spec), location, new Configuration());
    Path file = dir.resolve("model/_manifest.json");
    for (String id : List.of("../victim", "..", "a/b", ".hidden")) {
      Files.writeString(file, Files.readString(file).replaceFirst("\"modelId\": \"[^\"]*\"",
          "\"modelId\": \"" + id + "\""));
      IOException e = assertThrows(IOException.class, () -> ModelArtifact.load(location, new Configuration()));
      assertTrue(e.getMessage().contains("model id") && e.getMessage().contains("'" + id + "'"), e.getMessage());
    }
    // Sizes no real model has are refused before a graph of that size is built.
    Files.writeString(file, Files.readString(file).replaceFirst("\"modelId\": \"[^\"]*\"", "\"modelId\": \"ok\"")
        .replaceFirst("\"dim\": \\d+", "\"dim\": 2000000000"));
    IOException e = assertThrows(IOException.class, () -> ModelArtifact.load(location, new Configuration()));
    assertTrue(e.getMessage().contains("dim must be in"), e.getMessage());
  }

  @Test
  void folderWithoutManifestIsRefusedByName(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("half"));
    Files.write(dir.resolve("half/parameters.bin"), new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> ModelArtifact.load(dir.resolve("half").toString(), new Configuration()));
    assertTrue(e.getMessage().contains("half") && e.getMessage().contains("_manifest.json"), e.getMessage());
  }

  @Test
  void modelTrainedOnTextAudioVideoRefusesInputWithoutText() {
    ModelSpec spec = RandomInputs.tinySpec(TAV, false);
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), MEAN, STD);
    Batch full = ModelThroughput.randomBatch(spec, 2, 3, 2, 5);
    Batch noText = new Batch(full.ids(), null, null, full.visual(), full.visualMask(), full.audio(), full.audioMask(),
        full.labels());
    MissingModalityException e = assertThrows(MissingModalityException.class, () -> model.probabilities(noText));
    assertTrue(e.getMessage().contains("trained on T+A+V") && e.getMessage().contains("missing: text")
        && e.getMessage().contains("model trained on A+V"), e.getMessage());
    assertThrows(MissingModalityException.class, () -> model.fit(noText));

    ModelSpec av = RandomInputs.tinySpec(List.of(Modality.AUDIO, Modality.VISUAL), false);
    EmotionModel audioVisual = EmotionModel.create(av, null, MEAN, STD);
    assertEquals(2, audioVisual.probabilities(noText).length, "an A+V model scores the same input");
  }
}
