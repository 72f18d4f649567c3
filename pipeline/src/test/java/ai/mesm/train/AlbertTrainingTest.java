package ai.mesm.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.albert.AlbertCheckpoint;
import ai.mesm.model.albert.AlbertFixture;
import ai.mesm.model.albert.PretrainedText;
import ai.mesm.model.text.AlbertTokenizer;
import ai.mesm.stage.EvaluateRunner;
import ai.mesm.stage.ScoreRunner;
import ai.mesm.stage.TrainRunner;
import ai.mesm.testing.SharedTrainings;
import ai.mesm.testing.Slow;
import ai.mesm.testing.SplitCorpus;
import ai.mesm.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's text path: FE2E and MESM with the (tiny, random) ALBERT checkpoint as their text
 * encoder, trained on the synthetic corpus in this JVM (parameter averaging with ALBERT is
 * {@link SparkTrainingTest}'s two-worker run); the trained folder carries the fine-tuned encoder
 * and the tokenizer, so evaluation and scoring run after the checkpoint folder is gone. Bars as in
 * {@link LearningTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Slow
class AlbertTrainingTest {
  @TempDir static Path out;
  static Path checkpoint;
  static SparkSession spark;

  /** Both trainings at once (SharedTrainings); the third test deletes the checkpoint folder, so it waits for both. */
  static final SharedTrainings TRAINED = new SharedTrainings("albert-training-test");

  @BeforeAll
  static void copyCheckpointAndStartTraining() throws Exception {
    checkpoint = out.resolve("albert-tiny");
    Files.createDirectories(checkpoint);
    try (Stream<Path> files = Files.list(AlbertFixture.folder())) {
      for (Path f : files.toList()) Files.copy(f, checkpoint.resolve(f.getFileName()));
    }
    SplitCorpus.iemocap();
    TRAINED.start("albert-t", AlbertTrainingTest::textConfig);
    TRAINED.start("albert-mesm", AlbertTrainingTest::mesmConfig);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (spark != null) spark.stop();
    TRAINED.close();
  }

  /**
   * FE2E on text alone. Base rate 1e-2 so that ALBERT and the text head, at the default tenth of it,
   * learn at the 1e-3 that the shrunk models of LearningTest use: the tiny checkpoint is random, it has
   * no knowledge to protect. Eight epochs, not LearningTest's four: text alone through a random encoder
   * learns slowest of all.
   */
  private static MesmConfig textConfig() {
    return config("t", Map.of("train.run-name", "albert-t", "train.learning-rate", "1e-2", "train.max-epochs", "8"));
  }

  private static MesmConfig mesmConfig() {
    return config("t,a,v", Map.of("model.type", "mesm", "train.run-name", "albert-mesm", "train.max-epochs", "3"));
  }

  static MesmConfig config(String modalities, Map<String, String> extra) {
    Map<String, String> o = new HashMap<>(AlbertFixture.textEncoderSettings(checkpoint));
    o.putAll(extra);
    return LearningTest.shrunk(out, modalities, o);
  }

  @Order(1)
  @Test
  void fe2eLearnsTextWithAlbertAndItsFolderCarriesEncoderAndTokenizer() throws Exception {
    TrainRunner.Result r = TRAINED.get("albert-t", AlbertTrainingTest::textConfig);
    LearningTest.assertLearned("FE2E (T) with ALBERT", r.test());
    PretrainedText recorded = r.manifest().spec().albert();
    PretrainedText read = AlbertCheckpoint.read(checkpoint.toString(), new Configuration()).describe(10);
    assertEquals(read.weightsSha256(), recorded.weightsSha256());
    assertEquals(read.configJson(), recorded.configJson());
    Path model = Path.of(r.modelLocation());
    assertArrayEquals(Files.readAllBytes(checkpoint.resolve("spiece.model")), Files.readAllBytes(model.resolve("spiece.model")));
    assertTrue(ModelArtifact.load(model.toString(), new Configuration()).model().tokenizer() instanceof AlbertTokenizer);
  }

  @Order(2)
  @Test
  void mesmLearnsWithAlbertsClsVectorAsItsQuery() throws Exception {
    TrainRunner.Result r = TRAINED.get("albert-mesm", AlbertTrainingTest::mesmConfig);
    LearningTest.assertLearned("MESM (T+A+V) with ALBERT", r.test());
  }

  /** Evaluation and scoring read only the trained folders: the checkpoint folder is deleted first. */
  @Order(3)
  @Test
  void evaluationAndScoringNeedNothingFromTheCheckpointFolder() throws Exception {
    TRAINED.get("albert-t", AlbertTrainingTest::textConfig);
    TRAINED.get("albert-mesm", AlbertTrainingTest::mesmConfig);
    try (Stream<Path> files = Files.walk(checkpoint)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertFalse(Files.exists(checkpoint));
    Map<String, String> o = new HashMap<>();
    o.put("paths.models", out.resolve("models").toString());
    o.put("paths.reports", out.resolve("reports").toString());
    o.put("eval.models", "[albert-t, albert-mesm]");
    EvaluateRunner.Result r = EvaluateRunner.run(SplitCorpus.config(o), new Configuration(), System.out::println);
    for (String id : List.of("albert-t", "albert-mesm")) {
      assertEquals(Files.readString(out.resolve("reports").resolve(id).resolve("predictions_test.csv")),
          Files.readString(Path.of(r.reportsLocation()).resolve("predictions_test_" + id + ".csv")),
          id + ": saved and loaded, the same predictions as at the end of training");
    }

    // One dialog video with a subtitle file, two cues scored by the text model (IEMOCAP's videos carry no
    // sound: their audio is in separate wav files, which scoring does not read).
    Path archive = out.resolve("archive");
    Files.createDirectories(archive);
    spark = TestSpark.start(Map.of());
    // A dialog that ingest decoded (the corpus also holds deliberately broken files).
    java.util.Set<String> decoded = new java.util.HashSet<>(spark.read().parquet(SplitCorpus.iemocap()
        .resolve("ingest/utterances").toString()).select("source_id").distinct().collectAsList().stream()
        .map(row -> row.getString(0)).toList());
    Path video;
    try (Stream<Path> videos = Files.walk(SplitCorpus.iemocap().resolve("corpus"))) {
      video = videos.filter(p -> p.toString().endsWith(".avi")
          && decoded.contains(p.getFileName().toString().replace(".avi", ""))).sorted().findFirst().orElseThrow();
    }
    Files.copy(video, archive.resolve("dialog.avi"));
    Files.writeString(archive.resolve("dialog.srt"), "1\n00:00:00,200 --> 00:00:01,400\nI am so happy today\n\n"
        + "2\n00:00:01,500 --> 00:00:02,600\nthis is terrible news\n");
    Map<String, String> s = new HashMap<>(o);
    s.put("score.input", archive.toString());
    s.put("score.model", "albert-t");
    s.put("paths.scores", out.resolve("scores").toString());
    ScoreRunner.Result scored = ScoreRunner.run(spark, SplitCorpus.config(s), System.out::println);
    assertTrue(scored.balanced(), scored.accounting());
    assertEquals(2, scored.rows(), scored.accounting() + spark.read().parquet(scored.output() + "/rejects").collectAsList());
  }
}
