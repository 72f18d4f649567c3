package ai.mesm.io;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelManifest;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.stage.IngestRunner;
import ai.mesm.stage.ScoreRunner;
import ai.mesm.testing.S3ProxyServer;
import ai.mesm.testing.SharedCorpus;
import ai.mesm.testing.Slow;
import ai.mesm.testing.TestSpark;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 endpoint (a real s3proxy) is killed in the middle of an ingest and of a scoring run,
 * while their tasks read media from it, and restarted while the job may still be running. A run
 * that met the outage must not publish what it made of it (unreadable files are the storage's
 * failure, not rejects of the input): it fails, and the rerun gives exactly the rows of an
 * undisturbed run, nothing duplicated.
 */
@Slow
class StorageOutageTest {
  /**
   * Sources in the corpus and videos in the archive: one task each, several started after the kill.
   * The shared corpus has 8 dialogs and 10 videos; its truncated one is a reject in both runs, outage or not.
   */
  static final int WIDE = 8;
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static SparkSession spark;

  @BeforeAll
  static void setUp() throws Exception {
    Path corpus = SharedCorpus.root();
    s3 = S3ProxyServer.start(dir.resolve("s3"));
    s3.createBucket("lab");
    s3.upload(corpus, "lab", "raw");
    Path archive = Files.createDirectories(dir.resolve("archive"));
    try (Stream<Path> videos = Files.list(corpus.resolve("CMU_MOSEI/Videos/Full/Combined"))) {
      for (Path v : videos.sorted().toList()) Files.copy(v, archive.resolve(v.getFileName()));
    }
    s3.upload(archive, "lab", "archive");
    Map<String, String> conf = new HashMap<>(s3.sparkConf());
    conf.put("spark.hadoop.fs.s3a.attempts.maximum", "1");
    conf.put("spark.hadoop.fs.s3a.retry.limit", "1");
    spark = TestSpark.start(conf);
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) spark.stop();
    if (s3 != null) s3.close();
  }

  @Test
  void ingestThatMeetsAnOutageFailsAndItsRerunEqualsAnUndisturbedRun() throws Exception {
    MesmConfig undisturbed = ingestConfig("ingest-undisturbed");
    IngestRunner.run(spark, undisturbed);

    MesmConfig disturbed = ingestConfig("ingest-disturbed");
    Exception failure = duringOutage(() -> IngestRunner.run(spark, disturbed));
    if (failure != null) {
      assertTrue(chain(failure).contains("from its storage"), chain(failure));
      assertFalse(Files.exists(dir.resolve("ingest-disturbed/_manifest.json")), "nothing published");
      IngestRunner.run(spark, disturbed);
    }
    assertEquals(utterances("ingest-undisturbed"), utterances("ingest-disturbed"));
    assertEquals(rejects("ingest-undisturbed"), rejects("ingest-disturbed"));
  }

  @Test
  void scoringThatMeetsAnOutageIsResumedToTheRowsOfAnUndisturbedRun() throws Exception {
    saveModel();
    MesmConfig undisturbed = scoreConfig("scores-undisturbed");
    ScoreRunner.Result expected = ScoreRunner.run(spark, undisturbed, System.out::println);
    assertTrue(expected.scoredVideos() >= 3, expected.accounting());

    MesmConfig disturbed = scoreConfig("scores-disturbed");
    Exception failure = duringOutage(() -> ScoreRunner.run(spark, disturbed, System.out::println));
    if (failure != null) {
      assertTrue(chain(failure).contains("from its storage"), chain(failure));
      ScoreRunner.run(spark, disturbed, System.out::println); // score.mode = resume
    }
    String a = expected.output();
    String b = dir.resolve("scores-disturbed/outage-av").toString();
    assertEquals(scoreRows(a), scoreRows(b));
    assertEquals(scoreRows(b).size(), spark.read().parquet(b + "/scores").select("video", "segment_index")
        .distinct().count(), "no segment twice");
    assertEquals(scoreRejects(a), scoreRejects(b));
  }

  @FunctionalInterface
  interface Job {
    void run() throws Exception;
  }

  /**
   * Runs the job while the endpoint dies after the first task of its first wide stage (one task
   * per dialog or video) ends, and comes back when that stage ends: the tasks started meanwhile
   * found it dead. Returns the job's failure, or null if it succeeded. Once the job has returned,
   * the endpoint is brought back by this thread if the stage's end has not reached the listener
   * within 2 s: in the whole suite the aborted ingest stage's end did not reach it even in 30 s
   * (two CI runs on 2026-12-06; never with the class alone), and whether Spark's listener bus
   * delivers that event is not what this test is about; the rerun needs the endpoint.
   */
  private static Exception duringOutage(Job job) throws Exception {
    Map<Integer, Integer> tasks = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger killedIn = new AtomicInteger(-1);
    Map<Integer, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean restarted = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch back = new CountDownLatch(1);
    SparkListener outage = new SparkListener() {
      @Override
      public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted e) {
        tasks.put(e.stageInfo().stageId(), e.stageInfo().numTasks());
        names.put(e.stageInfo().stageId(), e.stageInfo().name());
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (tasks.getOrDefault(end.stageId(), 0) >= WIDE && killedIn.compareAndSet(-1, end.stageId())) {
          act(() -> s3.kill());
        }
      }

      @Override
      public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted e) {
        if (e.stageInfo().stageId() == killedIn.get() && restarted.compareAndSet(false, true)) {
          act(s3::restart);
          back.countDown();
        }
      }
    };
    spark.sparkContext().addSparkListener(outage);
    Exception failure = null;
    try {
      job.run();
    } catch (Exception e) {
      failure = e;
    } finally {
      spark.sparkContext().removeSparkListener(outage);
    }
    assertTrue(killedIn.get() >= 0, "the job had no stage of " + WIDE + " tasks to disturb");
    String stage = killedIn.get() + " (" + names.get(killedIn.get()) + ")";
    if (!back.await(2, TimeUnit.SECONDS) && restarted.compareAndSet(false, true)) {
      System.out.println("the end of stage " + stage + " did not reach the listener in 2 s: endpoint restarted here");
      s3.restart();
      back.countDown();
    }
    assertTrue(back.await(2, TimeUnit.MINUTES), "the endpoint did not come back");
    System.out.println("outage during stage " + stage + "; the run " + (failure == null ? "succeeded"
        : "failed: " + failure));
    return failure;
  }

  private static void act(Job step) {
    try {
      step.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static MesmConfig ingestConfig(String out) {
    return ConfigLoader.load(List.of(), Map.of("dataset", "iemocap", "paths.input", s3.uri("lab", "raw"),
        "paths.ingest", dir.resolve(out).toString()));
  }

  private static MesmConfig scoreConfig(String out) {
    return ConfigLoader.load(List.of(), Map.of("dataset", "mosei", "paths.scores", dir.resolve(out).toString(),
        "paths.models", dir.resolve("models").toString(), "score.input", s3.uri("lab", "archive"),
        "score.model", "outage-av", "score.window-s", "1.0", "score.hop-s", "1.0", "score.min-window-s", "0.5"));
  }

  private static void saveModel() throws Exception {
    double[] ones = new double[6];
    Arrays.fill(ones, 1);
    MesmConfig c = ConfigLoader.load(List.of(), Map.of("dataset", "mosei", "model.cnn.channel-divisor", "16",
        "model.dim", "32", "model.layers", "1", "model.feed-forward", "64"));
    ModelSpec spec = ModelSettings.spec(c, List.of(Modality.AUDIO, Modality.VISUAL), DatasetKind.MOSEI, null, ones);
    float[] mean = VisualNormalisation.defaults().mean();
    float[] std = VisualNormalisation.defaults().std();
    ModelArtifact.save(EmotionModel.create(spec, null, mean, std), new ModelManifest(ModelManifest.FORMAT, "outage-av",
        "mosei", DatasetKind.MOSEI.classes(), spec, new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, mean, std, "test",
        "none", Instant.now().toString(), new JsonObject()), dir.resolve("models/outage-av").toString(),
        new Configuration());
  }

  /** Each utterance with digests of its crops and spectrogram, sorted. */
  private static List<String> utterances(String out) {
    Dataset<Row> d = spark.read().parquet(dir.resolve(out).resolve("utterances").toString());
    return d.select(functions.concat_ws("|", functions.col("utterance_id"), functions.sha2(functions.col("frames"), 256),
            functions.hash(functions.col("mel")).cast("string"), functions.concat_ws(",", functions.col("label_names"))))
        .collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  private static List<String> rejects(String out) {
    return spark.read().parquet(dir.resolve(out).resolve("rejects").toString())
        .select(functions.concat_ws("|", functions.col("stage"), functions.col("reason"), functions.col("item_id")))
        .collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  private static List<String> scoreRows(String out) {
    List<org.apache.spark.sql.Column> fields = new java.util.ArrayList<>(List.of(functions.col("video"),
        functions.col("segment_index").cast("string")));
    for (String c : DatasetKind.MOSEI.classes()) fields.add(functions.format_number(functions.col("p_" + c), 6));
    return spark.read().parquet(out + "/scores").select(functions.concat_ws("|", fields.toArray(new org.apache.spark.sql.Column[0])))
        .collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  private static List<String> scoreRejects(String out) {
    Path rejects = Path.of(out, "rejects");
    if (!Files.exists(rejects)) return List.of();
    return spark.read().parquet(rejects.toString()).select(functions.concat_ws("|", functions.col("video"),
            functions.col("stage"), functions.col("reason"))).collectAsList().stream().map(r -> r.getString(0))
        .sorted().toList();
  }

  private static String chain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) sb.append(t).append('\n');
    return sb.toString();
  }
}
