package ai.mesm.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.data.DatasetKind;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.eval.Thresholds;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.Modality;
import ai.mesm.model.RandomInputs;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --resume through the real checkpoints and training loop, on a tiny model: a checkpoint that
 * cannot be read (cut short by a crash, damaged) is skipped with a warning naming the file, and
 * the run continues from the one before it exactly as the uninterrupted run did.
 */
class CheckpointsTest {
  private static final float[] MEAN = VisualNormalisation.defaults().mean();
  private static final float[] STD = VisualNormalisation.defaults().std();
  private static final ModelSpec SPEC = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL),
      false);
  private static final TrainingSettings SETTINGS = new TrainingSettings(4, 3, 3, 8, 0, 7, Thresholds.grid(0.1, 0.9, 0.1));
  @TempDir static Path out;
  static Path run;
  static List<Example> examples;
  static TrainingLoop.Outcome uninterrupted;

  @BeforeAll
  static void trainThreeEpochsWithACheckpointEach() throws IOException {
    Random r = new Random(1);
    examples = new ArrayList<>();
    for (int i = 0; i < 8; i++) examples.add(RandomInputs.example(SPEC, "u" + i, 1 + i % 3, 1 + i % 2, r));
    run = out.resolve("run");
    uninterrupted = train(EmotionModel.create(SPEC, RandomInputs.tokenizer(SPEC.vocabSize()), MEAN, STD), run, null);
    assertEquals(List.of("epoch-0001", "epoch-0002", "epoch-0003"), list(run));
  }

  private static TrainingLoop.Outcome train(EmotionModel model, Path location, TrainingState resumed) throws IOException {
    EpochTrainer trainer = (m, epoch) -> m.fit(m.batchBuilder().build(examples));
    return new TrainingLoop(SETTINGS, s -> {}).train(model, DatasetKind.IEMOCAP, trainer, ExampleSource.of(examples),
        "local", checkpoints(location, "a"), resumed);
  }

  private static Checkpoints checkpoints(Path location, String identity) {
    JsonObject id = new JsonObject();
    id.addProperty("config", identity);
    return new Checkpoints(location.toString(), 1, 5, id, new Configuration());
  }

  private static Checkpoints.Resumed latest(Path location, List<String> log) throws IOException {
    return checkpoints(location, "a").latest(t -> SPEC, log::add);
  }

  @Test
  void aTruncatedNewestCheckpointIsSkippedAndTheRunContinuesFromThePreviousOne() throws IOException {
    Path copy = copy("truncated");
    Path parameters = copy.resolve("epoch-0003").resolve(ModelArtifact.PARAMETERS);
    byte[] bytes = Files.readAllBytes(parameters);
    Files.write(parameters, Arrays.copyOf(bytes, bytes.length / 2));

    List<String> log = new ArrayList<>();
    Checkpoints.Resumed resumed = latest(copy, log);
    assertTrue(resumed.folder().endsWith(copy.resolve("epoch-0002").toString()), resumed.folder());
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).contains(parameters + ": truncated: "), log.get(0));

    TrainingLoop.Outcome continued = train(new EmotionModel(SPEC, resumed.graph(), resumed.tokenizer(), MEAN, STD),
        copy, resumed.state());
    assertEquals(3, continued.history().size());
    assertEquals(uninterrupted.history().subList(0, 2), continued.history().subList(0, 2), "epochs 1-2 from the checkpoint");
    EpochResult a = uninterrupted.history().get(2);
    EpochResult b = continued.history().get(2);
    assertEquals(List.of(a.trainLoss(), a.validLoss(), a.validF1()), List.of(b.trainLoss(), b.validLoss(), b.validF1()),
        "epoch 3 again, with the same parameters, optimiser state and step counter");
    assertEquals(2, continued.sessions().size());

    IOException other = assertThrows(IOException.class, () -> checkpoints(copy, "b").latest(t -> SPEC, log::add));
    assertTrue(other.getMessage().contains("other settings"), "other settings are refused, not skipped: " + other.getMessage());
  }

  @Test
  void whenNoCheckpointCanBeReadTheErrorNamesEachAndWhy() throws IOException {
    Path copy = copy("broken");
    Files.writeString(copy.resolve("epoch-0003").resolve("_manifest.json"), "{\"format\": 2, \"epochs\":");
    Path best = copy.resolve("epoch-0002").resolve(Checkpoints.BEST);
    byte[] bytes = Files.readAllBytes(best);
    bytes[bytes.length / 2] ^= 1;
    Files.write(best, bytes);
    Files.writeString(copy.resolve("epoch-0001").resolve(ModelArtifact.TOKENIZER), "[1, 2");

    List<String> log = new ArrayList<>();
    IOException e = assertThrows(IOException.class, () -> latest(copy, log));
    String m = e.getMessage();
    // Hadoop names local files as URIs: "epoch-0003 (file:/…/epoch-0003/_manifest.json: unreadable: …)".
    assertTrue(m.contains("epoch-0003 (file:" + copy.resolve("epoch-0003").resolve("_manifest.json") + ": unreadable"), m);
    assertTrue(m.contains("epoch-0002 (file:" + best + ": checksum mismatch"), m);
    assertTrue(m.contains("epoch-0001 (file:" + copy.resolve("epoch-0001").resolve(ModelArtifact.TOKENIZER) + ": unreadable"),
        m);
    assertTrue(m.contains("rerun without --resume"), m);
    assertEquals(2, log.size(), "a warning for each checkpoint skipped for an older one: " + log);
  }

  private static Path copy(String name) throws IOException {
    return ai.mesm.testing.TempTrees.copy(run, out.resolve(name));
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
