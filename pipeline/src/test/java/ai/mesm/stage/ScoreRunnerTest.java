package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleRows;
import ai.mesm.ingest.IngestReport;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelManifest;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.text.WordPieceTokenizer;
import ai.mesm.model.text.WordPieceTrainer;
import ai.mesm.score.ScoreReject;
import ai.mesm.stage.IngestRunner;
import ai.mesm.stage.ScoreRunner;
import ai.mesm.stage.TrainRunner;
import ai.mesm.testing.Slow;
import ai.mesm.testing.TestSpark;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ScoreJob's runner on a generated CMU-MOSEI corpus (real H.264/AAC files, the real segmented
 * transcripts) and on hand-made archives: segments from MOSEI transcripts, SubRip and WebVTT,
 * fixed windows, corrupt and empty files, resume without duplicates, and probabilities equal to
 * the model's on the same utterances taken through ingest.
 */
@Slow
class ScoreRunnerTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Path corpus;
  static final float[] MEAN = VisualNormalisation.defaults().mean();
  static final float[] STD = VisualNormalisation.defaults().std();

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestSpark.start(Map.of());
    corpus = dir.resolve("corpus");
    // Every video's audio from its own mp4 (no separate wav), as scoring reads it.
    new SyntheticCorpusGenerator(CorpusSettings.from(ConfigLoader.load(List.of(), Map.of("corpus.size", "8",
        "corpus.layouts", "[mosei]", "corpus.mosei.clips-per-video", "2", "corpus.mosei.missing-wav-fraction", "1",
        "corpus.min-utterance-s", "1.2", "corpus.max-utterance-s", "1.8")))).generate(corpus);
    IngestReport report = IngestRunner.run(spark, config(Map.of()));
    assertTrue(report.balanced(), report.render());
    List<String> texts = spark.read().parquet(dir.resolve("ingest/utterances").toString()).select("text")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    WordPieceTokenizer tokenizer = WordPieceTrainer.train(texts, 200, 1);
    saveModel("score-tav", List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), tokenizer);
    saveModel("score-av", List.of(Modality.AUDIO, Modality.VISUAL), null);
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  static MesmConfig config(Map<String, String> extra) {
    Map<String, String> o = new HashMap<>(Map.of("dataset", "mosei", "paths.input", corpus.toString(),
        "paths.scores", dir.resolve("scores-" + extra.getOrDefault("score.input", "none").hashCode()).toString(),
        "paths.ingest", dir.resolve("ingest").toString(), "paths.models", dir.resolve("models").toString(),
        "model.cnn.channel-divisor", "16", "model.dim", "32",
        "model.layers", "1", "model.feed-forward", "64"));
    o.putAll(extra);
    return ConfigLoader.load(List.of(), o);
  }

  private static void saveModel(String id, List<Modality> modalities, WordPieceTokenizer tokenizer) throws Exception {
    double[] ones = new double[6];
    Arrays.fill(ones, 1);
    ModelSpec spec = ModelSettings.spec(config(Map.of()), modalities, DatasetKind.MOSEI, tokenizer, ones);
    EmotionModel model = EmotionModel.create(spec, tokenizer, MEAN, STD);
    double[] thresholds = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT, id, "mosei", DatasetKind.MOSEI.classes(), spec,
        thresholds, MEAN, STD, "test", "none", Instant.now().toString(), new JsonObject());
    ModelArtifact.save(model, manifest, dir.resolve("models").resolve(id).toString(), new Configuration());
  }

  private static Path videos() {
    return corpus.resolve("CMU_MOSEI/Videos/Full/Combined");
  }

  @Test
  void moseiTranscriptSegmentsScoreLikeTheModelOnTheIngestedUtterances() throws Exception {
    ScoreRunner.Result r = ScoreRunner.run(spark, config(Map.of("score.input", videos().toString(),
        "score.segments", corpus.resolve("CMU_MOSEI/Transcript/Segmented/Combined").toString(),
        "score.model", "score-tav", "score.format", "jsonl")), System.out::println);
    System.out.println(r.accounting());
    assertTrue(r.balanced(), r.accounting());
    assertTrue(r.rejectedVideos() >= 1, "the truncated video of the corpus defects: " + r.accounting());
    // The videos' time by step comes back with their results (make bench prints it).
    Map<String, Double> steps = r.taskSecondsByStep();
    assertTrue(steps.get("decode") > 0 && steps.get("mel") > 0 && steps.get("model") > 0 && steps.get("batch") > 0,
        steps.toString());
    assertTrue(steps.get("video") > steps.get("decode") + steps.get("mel") + steps.get("model"), steps.toString());
    assertTrue(r.writeSeconds() > 0 && r.writeSeconds() < r.seconds(), r.writeSeconds() + " s of writes");
    List<Row> rejects = spark.read().parquet(r.output() + "/rejects").collectAsList();
    assertTrue(rejects.stream().anyMatch(x -> x.getAs("reason").equals(ScoreReject.UNDECODABLE_MEDIA)), rejects.toString());

    // Same utterances as ingest cut them: same probabilities from the same model.
    EmotionModel model = ModelArtifact.load(dir.resolve("models/score-tav").toString(), new Configuration()).model();
    List<Row> ingested = ExampleRows.read(spark, dir.resolve("ingest/utterances").toString()).collectAsList();
    List<Row> meta = spark.read().parquet(dir.resolve("ingest/utterances").toString())
        .select("utterance_id", "source_id", "start_s").collectAsList();
    Map<String, Row> scored = new HashMap<>();
    for (Row s : spark.read().parquet(r.output() + "/scores").collectAsList()) {
      String video = Path.of(java.net.URI.create(s.<String>getAs("video"))).getFileName().toString().replace(".mp4", "");
      scored.put(video + "@" + Math.round(s.<Double>getAs("start_s") * 1000), s);
    }
    int compared = 0;
    Map<String, Row> metaById = new HashMap<>();
    for (Row x : meta) metaById.put(x.getString(0), x);
    for (int i = 0; i < ingested.size(); i++) {
      Row m = metaById.get(ingested.get(i).getString(0));
      Row s = scored.get(m.getString(1) + "@" + Math.round(m.getDouble(2) * 1000));
      assertNotNull(s, "no score for ingested utterance " + m);
      Example e = ExampleRows.toExample(ingested.get(i));
      double[] expected = model.probabilities(model.batchBuilder().build(List.of(e)))[0];
      for (int c = 0; c < 6; c++) {
        assertEquals(expected[c], s.<Double>getAs("p_" + DatasetKind.MOSEI.classes().get(c)), 1e-4, m.toString());
      }
      assertEquals(e.nFrames(), s.<Integer>getAs("n_frames"));
      assertEquals("mosei", s.getAs("segment_source"));
      compared++;
    }
    assertTrue(compared >= 6, "compared " + compared);
    try (Stream<Path> export = Files.list(Path.of(r.output(), "export"))) {
      Path jsonl = export.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
      assertEquals(r.rows(), Files.readAllLines(jsonl).size());
    }
  }

  @Test
  void subtitlesWindowsBrokenFilesAndResumeWithoutDuplicates() throws Exception {
    Path archive = dir.resolve("archive");
    Files.createDirectories(archive.resolve("sub"));
    // Videos that ingest could decode (the corpus also holds a truncated one on purpose).
    java.util.Set<String> decodable = new java.util.HashSet<>(spark.read().parquet(dir.resolve("ingest/utterances")
        .toString()).select("source_id").distinct().collectAsList().stream().map(r -> r.getString(0)).toList());
    List<Path> mp4s;
    try (Stream<Path> s = Files.list(videos())) {
      mp4s = s.filter(p -> decodable.contains(p.getFileName().toString().replace(".mp4", ""))).sorted().limit(3).toList();
    }
    assertEquals(3, mp4s.size());
    Files.copy(mp4s.get(0), archive.resolve("a.mp4"));
    Files.writeString(archive.resolve("a.srt"), "1\n00:00:00,200 --> 00:00:01,200\nfirst line\n\n"
        + "2\n00:00:01,000 --> 00:00:02,000\n<i>second</i>\n\n3\n00:09:00,000 --> 00:09:01,000\nafter the end\n");
    Files.copy(mp4s.get(1), archive.resolve("sub/b.mp4"));
    Files.writeString(archive.resolve("sub/b.vtt"), "WEBVTT\n\n00:00.500 --> 00:01.500\nhello\n\nbroken --> line\nx\n");
    MesmConfig av = config(Map.of("score.input", archive.toString(), "score.model", "score-av", "score.window-s", "1.0",
        "score.hop-s", "1.0", "score.min-window-s", "0.5"));
    ScoreRunner.Result first = ScoreRunner.run(spark, av, System.out::println);
    assertTrue(first.balanced(), first.accounting());
    assertEquals(2, first.scoredVideos(), first.accounting());
    assertEquals(3, first.rows(), "2 cues of a.srt inside the media, 1 of b.vtt");
    assertEquals(1, first.segmentRejects(), "the cue after the end of a.mp4");
    assertEquals(1, first.lineRejects(), "the malformed cue of b.vtt");

    // More files arrive; a crashed run left an uncommitted part file behind.
    Files.copy(mp4s.get(2), archive.resolve("c.mp4"));
    Files.write(archive.resolve("empty.mp4"), new byte[0]);
    byte[] head = Arrays.copyOf(Files.readAllBytes(mp4s.get(0)), 3000);
    Files.write(archive.resolve("corrupt.mp4"), head);
    Path scores = Path.of(first.output(), "scores");
    Path stray = scores.resolve("20990101T000000-deadbeef-part-00000-x.snappy.parquet");
    try (Stream<Path> s = Files.list(scores)) {
      Files.copy(s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(), stray);
    }
    ScoreRunner.Result second = ScoreRunner.run(spark, av, System.out::println);
    assertTrue(second.balanced(), second.accounting());
    assertEquals(2, second.alreadyDone());
    assertEquals(1, second.scoredVideos(), second.accounting() + "\n"
        + spark.read().parquet(Path.of(first.output(), "rejects").toString()).collectAsList());
    assertEquals(2, second.rejectedVideos(), second.accounting());
    assertFalse(Files.exists(stray), "an uncommitted run's file is discarded");
    List<Row> all = spark.read().parquet(scores.toString()).collectAsList();
    assertEquals(all.size(), spark.read().parquet(scores.toString()).select("video", "segment_index").distinct().count(),
        "no duplicates");
    assertEquals(first.rows() + second.rows(), all.size());
    List<Row> windows = all.stream().filter(x -> x.<String>getAs("video").endsWith("/c.mp4")).toList();
    assertFalse(windows.isEmpty());
    assertTrue(windows.stream().allMatch(x -> x.getAs("segment_source").equals("windows") && x.getAs("text") == null),
        windows.toString());
    List<String> reasons = spark.read().parquet(Path.of(first.output(), "rejects").toString()).where("stage = 'video'")
        .collectAsList().stream().map(x -> x.<String>getAs("reason")).sorted().toList();
    assertEquals(List.of(ScoreReject.EMPTY_FILE, ScoreReject.UNDECODABLE_MEDIA), reasons);
    List<String> csv = Files.readAllLines(Files.list(Path.of(first.output(), "export"))
        .filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow());
    assertTrue(csv.get(0).contains("p_happy") && csv.get(0).contains("labels"), csv.get(0));
    assertEquals(all.size() + 1, csv.size());

    // A third run finds nothing to do; overwrite starts over.
    assertEquals(0, ScoreRunner.run(spark, av, System.out::println).rows());
    ScoreRunner.Result over = ScoreRunner.run(spark, config(Map.of("score.input", archive.toString(),
        "score.model", "score-av", "score.mode", "overwrite", "score.window-s", "1.0", "score.hop-s", "1.0",
        "score.min-window-s", "0.5")), System.out::println);
    assertEquals(0, over.alreadyDone());
    assertEquals(all.size(), over.rows());

    // Text models cannot score fixed windows: the video is rejected, naming the modalities.
    ScoreRunner.Result tav = ScoreRunner.run(spark, config(Map.of("score.input", archive.toString(),
        "score.model", "score-tav")), System.out::println);
    Map<String, String> byVideo = new java.util.TreeMap<>();
    List<Row> videoRejects = spark.read().parquet(tav.output() + "/rejects").where("stage = 'video'").collectAsList();
    for (Row x : videoRejects) {
      byVideo.put(Path.of(java.net.URI.create(x.<String>getAs("video"))).getFileName().toString(), x.getAs("reason"));
    }
    assertEquals(Map.of("c.mp4", ScoreReject.NEEDS_TEXT, "corrupt.mp4", ScoreReject.UNDECODABLE_MEDIA, "empty.mp4",
        ScoreReject.EMPTY_FILE), byVideo, "broken files are reported as broken, the others for the missing text");
    assertTrue(videoRejects.stream().filter(x -> x.getAs("reason").equals(ScoreReject.NEEDS_TEXT))
        .allMatch(x -> x.<String>getAs("detail").contains("T+A+V")), videoRejects.toString());
    assertEquals(2, tav.scoredVideos(), "a and b have subtitles: " + tav.accounting());
  }
  @Test
  void archiveModelAndOutputOnObjectStorage() throws Exception {
    Path archive = dir.resolve("s3-archive");
    Files.createDirectories(archive);
    java.util.Set<String> decodable = new java.util.HashSet<>(spark.read().parquet(dir.resolve("ingest/utterances")
        .toString()).select("source_id").distinct().collectAsList().stream().map(r -> r.getString(0)).toList());
    List<Path> mp4s;
    try (Stream<Path> s = Files.list(videos())) {
      mp4s = s.filter(p -> decodable.contains(p.getFileName().toString().replace(".mp4", ""))).sorted().limit(2).toList();
    }
    Files.copy(mp4s.get(0), archive.resolve("a.mp4"));
    Files.writeString(archive.resolve("a.vtt"), "WEBVTT\n\n00:00.200 --> 00:01.200\nhello\n");
    Files.copy(mp4s.get(1), archive.resolve("b.mp4"));
    try (ai.mesm.testing.S3ProxyServer s3 = ai.mesm.testing.S3ProxyServer.start(dir.resolve("s3"))) {
      s3.createBucket("archive-lab");
      s3.upload(archive, "archive-lab", "archive");
      s3.upload(dir.resolve("models/score-av"), "archive-lab", "models/score-av");
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      s3.sparkConf().forEach((k, v) -> hadoop.set(k.replaceFirst("^spark\\.hadoop\\.", ""), v));
      hadoop.set("fs.s3a.impl.disable.cache", "true"); // other tests' endpoints for other buckets are cached
      MesmConfig c = config(Map.of("score.input", s3.uri("archive-lab", "archive"),
          "score.model", s3.uri("archive-lab", "models/score-av"),
          "paths.scores", s3.uri("archive-lab", "scores"), "score.window-s", "1.0", "score.hop-s", "1.0",
          "score.min-window-s", "0.5"));
      ScoreRunner.Result r = ScoreRunner.run(spark, c, System.out::println);
      assertTrue(r.balanced(), r.accounting());
      assertEquals(2, r.scoredVideos(), r.accounting());
      assertEquals(r.output(), s3.uri("archive-lab", "scores/score-av"));
      List<Row> rows = spark.read().parquet(r.output() + "/scores").collectAsList();
      assertEquals(r.rows(), rows.size());
      assertTrue(rows.stream().allMatch(x -> x.<String>getAs("video").startsWith("s3a://archive-lab/archive/")),
          rows.toString());
      assertTrue(rows.stream().anyMatch(x -> "vtt".equals(x.getAs("segment_source"))));
      assertTrue(rows.stream().anyMatch(x -> "windows".equals(x.getAs("segment_source"))));
      assertEquals(r.rows(), spark.read().option("header", true).csv(r.output() + "/export").count());
      ScoreRunner.Result again = ScoreRunner.run(spark, c, System.out::println);
      assertEquals(2, again.alreadyDone(), again.accounting());
      assertEquals(r.rows(), spark.read().parquet(r.output() + "/scores").count(), "resume on S3 adds nothing");
    }
  }

  /** Resuming after the model was trained again under the same name would mix two models' rows: refused. */
  @Test
  void resumeRefusesScoresOfAnEarlierVersionOfTheModel() throws Exception {
    Path archive = Files.createDirectories(dir.resolve("retrain-archive"));
    java.util.Set<String> decodable = new java.util.HashSet<>(spark.read().parquet(dir.resolve("ingest/utterances")
        .toString()).select("source_id").distinct().collectAsList().stream().map(r -> r.getString(0)).toList());
    try (Stream<Path> s = Files.list(videos())) {
      Files.copy(s.filter(p -> decodable.contains(p.getFileName().toString().replace(".mp4", ""))).sorted()
          .findFirst().orElseThrow(), archive.resolve("a.mp4"));
    }
    saveModel("score-retrained", List.of(Modality.AUDIO, Modality.VISUAL), null);
    Map<String, String> o = Map.of("score.input", archive.toString(), "score.model", "score-retrained",
        "score.window-s", "1.0", "score.hop-s", "1.0", "score.min-window-s", "0.5");
    ScoreRunner.Result first = ScoreRunner.run(spark, config(o), System.out::println);
    assertEquals(1, first.scoredVideos(), first.accounting());

    Files.copy(archive.resolve("a.mp4"), archive.resolve("b.mp4"));
    saveModel("score-retrained", List.of(Modality.AUDIO, Modality.VISUAL), null); // trained again: a new manifest
    ai.mesm.config.InvalidConfigException e = assertThrows(ai.mesm.config.InvalidConfigException.class,
        () -> ScoreRunner.run(spark, config(o), System.out::println));
    assertTrue(e.getMessage().contains("another version of model score-retrained")
        && e.getMessage().contains("score.mode = overwrite"), e.getMessage());
    assertEquals(first.rows(), spark.read().parquet(first.output() + "/scores").count(), "nothing was added");

    Map<String, String> over = new HashMap<>(o);
    over.put("score.mode", "overwrite");
    ScoreRunner.Result again = ScoreRunner.run(spark, config(over), System.out::println);
    assertEquals(2, again.scoredVideos(), again.accounting());
    assertEquals(2 * first.rows(), spark.read().parquet(again.output() + "/scores").count());
  }

  /** A subtitle file that is a link to some other file (here a stand-in for a system file) leaks nothing of it. */
  @Test
  void aSegmentFileLinkedToAnotherFileLeaksNoneOfItsLines() throws Exception {
    Path archive = Files.createDirectories(dir.resolve("link-archive"));
    try (Stream<Path> s = Files.list(videos())) {
      Files.copy(s.filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow(), archive.resolve("a.mp4"));
    }
    Path system = Files.writeString(dir.resolve("shadow"), "root:PLANTED-HASH-1:19000:0:99999:7:::\n"
        + "daemon:PLANTED-HASH-2:19000:0:99999:7:::\n\n12\nPLANTED --> line\n");
    Files.createSymbolicLink(archive.resolve("a.srt"), system);
    ScoreRunner.Result r = ScoreRunner.run(spark, config(Map.of("score.input", archive.toString(),
        "score.model", "score-av")), System.out::println);
    assertTrue(r.balanced(), r.accounting());
    assertTrue(r.lineRejects() >= 2, r.accounting());
    try (Stream<Path> files = Files.walk(Path.of(r.output()))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains("PLANTED"), f.toString());
      }
    }
    List<Row> rejects = spark.read().parquet(r.output() + "/rejects").where("stage = 'line'").collectAsList();
    assertTrue(rejects.stream().allMatch(x -> x.<String>getAs("detail").contains("line ")), rejects.toString());
    // Read back too: Parquet pages are compressed, so the bytes alone would not show it.
    assertFalse(spark.read().parquet(r.output() + "/rejects").collectAsList().toString().contains("PLANTED"));
  }
}
