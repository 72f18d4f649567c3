package ai.mesm.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleReader;
import ai.mesm.io.Sha256;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.albert.AlbertFixture;
import ai.mesm.model.albert.PretrainedText;
import ai.mesm.model.text.WordPieceTokenizer;
import ai.mesm.model.text.WordPieceTrainer;
import ai.mesm.split.Split;
import ai.mesm.stage.TrainRunner;
import ai.mesm.testing.Slow;
import ai.mesm.testing.SplitCorpus;
import ai.mesm.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter averaging on Spark (local[2] here; the standalone-cluster test submits the real jar):
 * with one worker and averaging every step it takes exactly the local trainer's steps on the same
 * batches, for FE2E and for MESM; with two workers (fine-tuning ALBERT) a run learns, checkpoints every epoch, and
 * --resume after a lost epoch ends with the same epochs as an uninterrupted run and records both sessions.
 */
@Slow
class SparkTrainingTest {
  @TempDir static Path out;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    SplitCorpus.iemocap(); // before Spark: it builds the corpus with its own session
    spark = TestSpark.start(Map.of());
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  static MesmConfig config(Map<String, String> extra) {
    Map<String, String> o = new HashMap<>();
    o.put("model.modalities", "[t,a,v]");
    o.put("model.dim", "32");
    o.put("model.layers", "1");
    o.put("model.feed-forward", "128");
    o.put("model.cnn.channel-divisor", "16");
    o.put("model.dropout", "0"); // dropout draws from each JVM's own generator: off for exact comparisons
    o.put("train.learning-rate", "1e-3");
    o.put("paths.models", out.resolve("models").toString());
    o.put("paths.reports", out.resolve("reports").toString());
    o.put("spark.master", "local[2]");
    o.putAll(extra);
    return SplitCorpus.config(o);
  }

  /** FE2E, and MESM with its sparse blocks and top-p masks (p = 0.7, the demo's). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fe2e", "mesm"})
  void oneWorkerAveragingEveryStepEqualsLocalTrainingOnTheSameBatches(String type) throws Exception {
    MesmConfig config = config(Map.of("train.spark.workers", "1", "train.spark.averaging-frequency", "1",
        "model.type", type, "model.mesm.top-p", "0.7"));
    // 40 utterances, 5 rounds of one step: enough to compare step by step, quick to run.
    String train = trainSubset();
    Configuration hadoop = new Configuration();
    WordPieceTokenizer tokenizer = WordPieceTrainer.train(ExampleReader.texts(train, hadoop), 200, 1);
    EmotionModel distributed = model(config, tokenizer);
    EmotionModel local = model(config, tokenizer);
    assertEquals(distributed.graph().params(), local.graph().params(), "same seed, same initial parameters");

    TrainingSettings settings = TrainingSettings.of(config);
    SparkEpochTrainer trainer = new SparkEpochTrainer(spark, train, settings, DistributedSettings.of(config),
        System.out::println);
    List<List<String>> order = trainer.batchOrder(1);
    double sparkLoss = trainer.trainEpoch(distributed, 1);

    Map<String, Example> byId = new HashMap<>();
    try (ExampleReader r = new ExampleReader(train, hadoop)) {
      r.forEachRemaining(e -> byId.put(e.utteranceId(), e));
    }
    assertEquals(40, byId.size());
    assertEquals(byId.size(), order.stream().mapToInt(List::size).sum(), "every train utterance once");
    assertTrue(order.stream().limit(order.size() - 1).allMatch(b -> b.size() == settings.batchSize()));
    double localLoss = 0;
    for (List<String> ids : order) {
      List<Example> batch = ids.stream().map(byId::get).toList();
      localLoss += local.fit(local.batchBuilder().build(batch)) * batch.size();
    }
    localLoss /= byId.size();

    INDArray a = distributed.graph().params();
    INDArray b = local.graph().params();
    double moved = b.sub(model(config, tokenizer).graph().params()).norm2Number().doubleValue();
    double diff = a.sub(b).norm2Number().doubleValue();
    System.out.printf("parameters moved %.4g; distributed vs local differ by %.3g; loss %.5f vs %.5f%n", moved, diff,
        sparkLoss, localLoss);
    assertTrue(moved > 0.1, "training moved the parameters: " + moved);
    assertTrue(diff <= 1e-6 * moved, "averaging with one worker = local steps: differ by " + diff + " of " + moved);
    assertEquals(distributed.graph().getUpdater().getStateViewArray().sub(local.graph().getUpdater().getStateViewArray())
        .norm2Number().doubleValue(), 0, 1e-3 * local.graph().getUpdater().getStateViewArray().norm2Number().doubleValue(),
        "the optimiser state travels with the parameters");
    // The round losses are each worker's last step, the local ones every step: same scale, not identical.
    assertTrue(Double.isFinite(sparkLoss) && sparkLoss > 0);
  }

  /**
   * With the paper's text path (the tiny ALBERT checkpoint fine-tuned on the workers, so its weights travel
   * with the averaged parameters), two workers learn (LearningTest's bars), write a checkpoint per epoch,
   * and --resume after a lost epoch repeats it exactly.
   */
  @Test
  void twoWorkersFineTuneAlbertCheckpointAndResumeAfterALostEpoch() throws Exception {
    Map<String, String> settings = new HashMap<>(AlbertFixture.textEncoderSettings(AlbertFixture.folder()));
    settings.putAll(Map.of("train.mode", "spark", "train.spark.workers", "2", "train.spark.averaging-frequency", "2",
        "train.max-epochs", "2", "train.patience", "2", "train.run-name", "spark-2w", "train.spark.collect-stats", "true"));
    MesmConfig config = config(settings);
    Configuration hadoop = new Configuration();
    List<String> lines = new ArrayList<>();
    TrainRunner.Result first = TrainRunner.run(config, hadoop, line -> {
      System.out.println(line);
      lines.add(line);
    }, false, () -> spark);
    // Round timing works offline (DL4J would ask an NTP server for its clock).
    List<String> rounds = lines.stream().filter(l -> l.startsWith("  averaging rounds: ")).toList();
    assertEquals(2, rounds.size(), String.join("\n", lines));
    for (String l : rounds) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) x (\\d+) ms \\(compute (\\d+) ms").matcher(l);
      assertTrue(m.find(), l);
      assertTrue(Integer.parseInt(m.group(1)) >= 1, l);
      assertTrue(Integer.parseInt(m.group(3)) > 0 && Integer.parseInt(m.group(3)) <= Integer.parseInt(m.group(2)), l);
    }
    assertEquals(2, first.outcome().history().size());
    assertEquals(1, first.outcome().sessions().size());
    assertEquals("spark", first.outcome().sessions().get(0).mode());
    assertNotNull(first.manifest().spec().albert(), "ALBERT is the text encoder");
    LearningTest.assertLearned("FE2E (T+A+V) with ALBERT, parameter averaging", first.test());

    Path checkpoints = out.resolve("models").resolve("_checkpoints").resolve("spark-2w");
    assertEquals(List.of("epoch-0001", "epoch-0002"), list(checkpoints));
    for (String e : list(checkpoints)) {
      assertTrue(Files.size(checkpoints.resolve(e).resolve(ai.mesm.model.ModelArtifact.PARAMETERS)) > 0);
      assertTrue(Files.exists(checkpoints.resolve(e).resolve("_manifest.json")));
    }

    // A crash during epoch 2: only the first checkpoint was written, no model published.
    deleteTree(checkpoints.resolve("epoch-0002"));
    deleteTree(Path.of(first.modelLocation()));
    TrainRunner.Result resumed = TrainRunner.run(config, hadoop, System.out::println, true, () -> spark);
    assertEquals(2, resumed.outcome().history().size(), "same epochs as the uninterrupted run");
    assertEquals(first.outcome().history().get(1).validLoss(), resumed.outcome().history().get(1).validLoss(), 1e-6,
        "dropout off: the resumed epoch repeats the uninterrupted one");
    assertEquals(first.outcome().history().get(0), resumed.outcome().history().get(0), "epoch 1 comes from the checkpoint");
    List<TrainingState.Session> sessions = resumed.outcome().sessions();
    assertEquals(2, sessions.size(), sessions.toString());
    assertEquals(List.of(1, 1, 2, 2), List.of(sessions.get(0).firstEpoch(), sessions.get(0).lastEpoch(),
        sessions.get(1).firstEpoch(), sessions.get(1).lastEpoch()));
    String manifest = Files.readString(Path.of(resumed.modelLocation()).resolve("_manifest.json"));
    assertTrue(manifest.contains("\"sessions\""), manifest);

    // Other settings: refused, naming the key.
    MesmConfig other = config.with(Map.of("train.batch-size", "4"));
    IOException e = assertThrows(IOException.class, () -> TrainRunner.run(other, hadoop, s -> {}, true, () -> spark));
    assertTrue(e.getMessage().contains("mesm.train.batch-size: 8 -> 4"), e.getMessage());
    // Where it runs is not part of the identity: a local resume continues the same run.
    MesmConfig local = config.with(Map.of("train.mode", "local", "train.spark.workers", "1"));
    assertNotNull(Checkpoints.of(local, ai.mesm.io.PathSettings.of(local), "spark-2w",
        Sha256.hex(ai.mesm.io.AtomicOutput.requireComplete(SplitCorpus.split().toString(), hadoop, "x")), hadoop)
        .latest(t -> spec(local, t, first.manifest().spec().albert()), s -> fail("no checkpoint is skipped: " + s)));
  }

  private static synchronized String trainSubset() {
    Path train = out.resolve("train-subset");
    if (!Files.exists(train)) {
      spark.read().parquet(Split.TRAIN.folderIn(SplitCorpus.split().toString())).orderBy("utterance_id")
          .limit(40).coalesce(1).write().parquet(train.toString());
    }
    return train.toString();
  }

  private static EmotionModel model(MesmConfig config, ai.mesm.model.text.TextTokenizer tokenizer) throws IOException {
    return EmotionModel.create(spec(config, tokenizer), tokenizer, VisualNormalisation.defaults().mean(),
        VisualNormalisation.defaults().std());
  }

  private static ModelSpec spec(MesmConfig config, ai.mesm.model.text.TextTokenizer tokenizer) {
    return spec(config, tokenizer, null);
  }

  private static ModelSpec spec(MesmConfig config, ai.mesm.model.text.TextTokenizer tokenizer, PretrainedText albert) {
    try {
      double[] w = TrainRunner.positiveWeights(SplitCorpus.split().toString(), new Configuration(), DatasetKind.IEMOCAP);
      return ModelSettings.spec(config, List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), DatasetKind.IEMOCAP,
          tokenizer, w, albert);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
    }
  }
}
