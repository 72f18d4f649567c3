package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.bench.ModelThroughput;
import ai.mesm.data.Batch;
import ai.mesm.model.text.WordPieceTokenizer;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {
  private static final float[] MEAN = {159, 111, 102};
  private static final float[] STD = {37, 33, 32};

  static WordPieceTokenizer tokenizer(int size) {
    List<String> vocab = new ArrayList<>(WordPieceTokenizer.SPECIAL);
    for (int i = vocab.size(); i < size; i++) vocab.add("w" + i);
    return new WordPieceTokenizer(vocab);
  }

  static ModelManifest manifest(ModelSpec spec) {
    return new ModelManifest(ModelManifest.FORMAT, "fe2e-test", "iemocap", List.of("ang", "exc", "fru", "hap", "neu", "sad"),
        spec, new double[] {0.05, 0.1, 0.5, 0.95, 0.3, 0.35}, MEAN, STD, "test", "abc", "now", new JsonObject());
  }

  @Test
  void savedModelLoadsBackWithIdenticalPredictionsAndManifest(@TempDir Path dir) throws IOException {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), true);
    EmotionModel model = EmotionModel.create(spec, tokenizer(spec.vocabSize()), MEAN, STD);
    Batch batch = ModelThroughput.randomBatch(spec, 3, 4, 2, 11);
    model.fit(batch); // moves parameters, BatchNorm statistics and the updater away from their initial state
    double[][] before = model.probabilities(batch);

    String location = dir.resolve("model").toString();
    ModelArtifact.save(model, manifest(spec), location, new Configuration());
    assertTrue(Files.isRegularFile(dir.resolve("model/_manifest.json")));
    assertTrue(Files.isRegularFile(dir.resolve("model/" + ModelArtifact.TOKENIZER)));
    ModelArtifact.Loaded loaded = ModelArtifact.load(location, new Configuration());

    assertArrayEquals(before, loaded.model().probabilities(batch));
    assertEquals(spec.modalities(), loaded.manifest().spec().modalities());
    assertArrayEquals(spec.positiveWeights(), loaded.manifest().spec().positiveWeights());
    assertArrayEquals(new double[] {0.05, 0.1, 0.5, 0.95, 0.3, 0.35}, loaded.manifest().thresholds());
    assertEquals(model.tokenizer().toJson(), loaded.model().tokenizer().toJson());
    assertNotNull(loaded.model().graph().getUpdater().getStateViewArray(), "optimizer state kept for resuming");
    assertEquals(model.graph().getUpdater().getStateViewArray(), loaded.model().graph().getUpdater().getStateViewArray());
  }

  @Test
  void folderWithoutManifestIsRefusedByName(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("half"));
    Files.write(dir.resolve("half/model.zip"), new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> ModelArtifact.load(dir.resolve("half").toString(), new Configuration()));
    assertTrue(e.getMessage().contains("half") && e.getMessage().contains("_manifest.json"), e.getMessage());
  }

  @Test
  void modelTrainedOnTextAudioVideoRefusesInputWithoutText() {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false);
    EmotionModel model = EmotionModel.create(spec, tokenizer(spec.vocabSize()), MEAN, STD);
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
