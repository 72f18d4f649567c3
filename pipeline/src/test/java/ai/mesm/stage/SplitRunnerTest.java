package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.ingest.IngestSchema;
import ai.mesm.ingest.UtteranceRecord;
import ai.mesm.split.Split;
import ai.mesm.split.SplitStatistics;
import ai.mesm.stage.SplitRunner;
import ai.mesm.testing.Slow;
import ai.mesm.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Slow
class SplitRunnerTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A complete ingest output of {@code n} utterances, written in {@code files} Parquet files. */
  static Path ingestOutput(String name, DatasetKind dataset, int n, int files) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String source = dataset == DatasetKind.IEMOCAP ? "Ses01F_impro0" + (i % 4) : "vid_" + (i % 6) + "-x";
      String id = dataset == DatasetKind.IEMOCAP ? source + "_F" + String.format("%03d", i) : source + "_" + i;
      List<Integer> labels = new ArrayList<>(List.of(0, 0, 0, 0, 0, 0));
      labels.set(i % 6, 1);
      rows.add(IngestSchema.toRow(new UtteranceRecord(dataset.configName(), id, source, "v", "a", null, null, i, i + 1.5,
          "word ".repeat(i % 5 + 1).strip(), labels, List.of(dataset.classes().get(i % 6)), 0, new double[0],
          new boolean[0], new float[0], new byte[0], 1, 3, new float[128 * 32], "none")));
    }
    Path out = dir.resolve(name);
    spark.createDataFrame(rows, IngestSchema.utterances("{}")).repartition(files).write().mode(SaveMode.Overwrite)
        .parquet(out.resolve("utterances").toString());
    Files.writeString(out.resolve("_manifest.json"), "{\"provenance\": {\"stage\": \"ingest\"}}");
    return out;
  }

  static MesmConfig config(String dataset, Path ingest, Path split, String... more) {
    Map<String, String> o = new HashMap<>(Map.of("dataset", dataset, "paths.ingest", ingest.toString(),
        "paths.split", split.toString()));
    for (int i = 0; i < more.length; i += 2) o.put(more[i], more[i + 1]);
    return ConfigLoader.load(List.of(), o);
  }

  static Map<String, String> assignment(Path split) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : spark.read().parquet(split.resolve("utterances").toString()).select("utterance_id", "split").collectAsList()) {
      assertNull(m.put(r.getString(0), r.getString(1)), "an id in two splits: " + r.getString(0));
    }
    return m;
  }

  @Test
  void randomSplitIsTheSameWhateverThePartitioningAndRerun() throws Exception {
    Path one = ingestOutput("one-file", DatasetKind.IEMOCAP, 97, 1);
    Path seven = ingestOutput("seven-files", DatasetKind.IEMOCAP, 97, 7);
    SplitRunner.run(spark, config("iemocap", one, dir.resolve("split-a")));
    SplitRunner.run(spark, config("iemocap", seven, dir.resolve("split-b")));
    Map<String, String> a = assignment(dir.resolve("split-a"));
    assertEquals(a, assignment(dir.resolve("split-b")));
    SplitRunner.Result again = SplitRunner.run(spark, config("iemocap", seven, dir.resolve("split-b")));
    assertEquals(a, assignment(dir.resolve("split-b")));
    assertEquals(97, a.size());
    assertEquals(68, a.values().stream().filter("train"::equals).count()); // round(67.9)
    assertEquals(10, a.values().stream().filter("valid"::equals).count()); // round(9.7)
    assertEquals(19, a.values().stream().filter("test"::equals).count());
    assertEquals(68, again.statistics().total(Split.TRAIN));
    Path out = dir.resolve("split-b");
    assertTrue(Files.isDirectory(out.resolve("utterances/split=train")), "partitioned by split");
    assertTrue(Files.readString(out.resolve("statistics.md")).contains("| Label | Avg. word count |"));
    assertTrue(Files.readString(out.resolve("class_weights.json")).contains("\"pos_weight\""));
    String manifest = Files.readString(out.resolve("_manifest.json"));
    assertTrue(manifest.contains("\"mode\": \"random\"") && manifest.contains("\"seed\": \"42\""), manifest);
    assertTrue(manifest.contains("\"input_fingerprint\""), manifest);
    assertNotEquals(a, assignment(runWithSeed(seven)));
  }

  private static Path runWithSeed(Path ingest) throws IOException {
    Path out = dir.resolve("split-seed-9");
    SplitRunner.run(spark, config("iemocap", ingest, out, "seed", "9"));
    return out;
  }

  @Test
  void fileModeReportsMissingAndExtraIds() throws Exception {
    Path ingest = ingestOutput("listed", DatasetKind.IEMOCAP, 10, 2);
    List<String> ids = new ArrayList<>(assignment0(ingest));
    Path lists = Files.createDirectories(dir.resolve("lists"));
    Files.write(lists.resolve("train_split.txt"), List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(3), "Ses09F_x_F000"));
    Files.write(lists.resolve("valid_split.txt"), List.of(ids.get(4), ""));
    Files.write(lists.resolve("test_split.txt"), List.of(ids.get(5), ids.get(6), ids.get(7)));
    Path out = dir.resolve("split-files");
    SplitRunner.Result r = SplitRunner.run(spark, config("iemocap", ingest, out, "split.iemocap-mode", "files",
        "split.files", lists.toString()));
    assertEquals(Map.of("listed_not_found", 1L, "not_listed", 2L), r.rejectsByReason());
    Map<String, String> a = assignment(out);
    assertEquals(8, a.size());
    assertEquals("valid", a.get(ids.get(4)));
    List<String> rejected = spark.read().parquet(out.resolve("rejects").toString()).collectAsList().stream()
        .map(x -> x.<String>getAs("reason") + " " + x.<String>getAs("item_id")).sorted().toList();
    assertEquals(List.of("listed_not_found Ses09F_x_F000", "not_listed " + ids.get(8), "not_listed " + ids.get(9)),
        rejected);
    assertTrue(Files.readString(out.resolve("_manifest.json")).contains("train_sha256"));
  }

  private static List<String> assignment0(Path ingest) {
    return spark.read().parquet(ingest.resolve("utterances").toString()).select("utterance_id").orderBy("utterance_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void moseiFoldsAreVideoDisjoint() throws Exception {
    Path ingest = ingestOutput("mosei", DatasetKind.MOSEI, 36, 3);
    Path folds = Files.createDirectories(dir.resolve("folds"));
    Files.write(folds.resolve("train_split.txt"), List.of("vid_0-x", "vid_1-x", "vid_2-x"));
    Files.write(folds.resolve("valid_split.txt"), List.of("vid_3-x"));
    Files.write(folds.resolve("test_split.txt"), List.of("vid_4-x"));
    Path out = dir.resolve("split-mosei");
    SplitRunner.Result r = SplitRunner.run(spark, config("mosei", ingest, out, "split.files", folds.toString()));
    assertEquals(Map.of("video_in_no_fold", 6L), r.rejectsByReason());
    Map<String, String> byVideo = new HashMap<>();
    assignment(out).forEach((id, split) -> {
      String video = id.substring(0, id.lastIndexOf('_'));
      String before = byVideo.putIfAbsent(video, split);
      assertTrue(before == null || before.equals(split), "video " + video + " in two splits");
    });
    assertEquals(Map.of("vid_0-x", "train", "vid_1-x", "train", "vid_2-x", "train", "vid_3-x", "valid",
        "vid_4-x", "test"), byVideo);
  }

  @Test
  void anIncompleteIngestOutputIsRefused() throws Exception {
    Path ingest = ingestOutput("incomplete", DatasetKind.IEMOCAP, 5, 1);
    Files.delete(ingest.resolve("_manifest.json"));
    IOException e = assertThrows(IOException.class, () -> SplitRunner.run(spark, config("iemocap", ingest, dir.resolve("x"))));
    assertTrue(e.getMessage().contains("no _manifest.json"), e.getMessage());
  }

  @Test
  void splitWrittenOverOrAroundItsOwnIngestFolderIsRefusedBeforeAnyWork() throws Exception {
    Path ingest = ingestOutput("own-input", DatasetKind.IEMOCAP, 12, 1);
    String manifest = Files.readString(ingest.resolve("_manifest.json"));
    for (Path out : List.of(ingest, dir, ingest.resolve("split"))) {
      ai.mesm.config.InvalidConfigException e = assertThrows(ai.mesm.config.InvalidConfigException.class,
          () -> SplitRunner.run(spark, config("iemocap", ingest, out)));
      assertEquals("mesm.paths.split", e.problems().get(0).key(), e.getMessage());
      assertTrue(e.getMessage().contains("mesm.paths.ingest"), e.getMessage());
    }
    // The same folder spelled as a file: URI with a trailing slash is still the same folder.
    assertThrows(ai.mesm.config.InvalidConfigException.class, () -> SplitRunner.run(spark,
        ConfigLoader.load(List.of(), Map.of("dataset", "iemocap", "paths.ingest", ingest.toString(),
            "paths.split", ingest.toUri() + "/"))));
    assertEquals(manifest, Files.readString(ingest.resolve("_manifest.json")), "the input is untouched");
    assertEquals(12, assignment0(ingest).size());
  }

  @Test
  void splitStatisticsCountWordsOnTheExecutors() throws Exception {
    Path ingest = ingestOutput("words", DatasetKind.IEMOCAP, 30, 3);
    SplitRunner.Result r = SplitRunner.run(spark, config("iemocap", ingest, dir.resolve("split-words")));
    double words = 0;
    long n = 0;
    for (SplitStatistics.Row row : r.statistics().rows()) {
      long rowN = row.train() + row.valid() + row.test();
      words += row.avgWords() * rowN;
      n += rowN;
    }
    // Utterance i has (i % 5) + 1 words and exactly one label.
    double expected = 0;
    for (int i = 0; i < 30; i++) expected += i % 5 + 1;
    assertEquals(30, n);
    assertEquals(expected, words, 1e-9);
  }

  @Test
  void anIngestOutputWithADuplicatedIdIsRefused() throws Exception {
    Path ingest = ingestOutput("duplicated", DatasetKind.IEMOCAP, 8, 1);
    Dataset<Row> rows = spark.read().parquet(ingest.resolve("utterances").toString());
    rows.limit(1).write().mode(SaveMode.Append).parquet(ingest.resolve("utterances").toString());
    IOException e = assertThrows(IOException.class, () -> SplitRunner.run(spark, config("iemocap", ingest,
        dir.resolve("split-duplicated"))));
    assertTrue(e.getMessage().contains("is on more than one row"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("split-duplicated/_manifest.json")));
  }
}
