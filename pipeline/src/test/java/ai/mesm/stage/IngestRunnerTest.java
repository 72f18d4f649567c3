package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.ingest.EmoEvaluation;
import ai.mesm.ingest.IngestReport;
import ai.mesm.ingest.IngestSchema;
import ai.mesm.ingest.Reject;
import ai.mesm.ingest.ReleaseScan;
import ai.mesm.ingest.ReleaseScanner;
import ai.mesm.ingest.SourceItem;
import ai.mesm.ingest.SourceSummary;
import ai.mesm.ingest.UtteranceRecord;
import ai.mesm.ingest.WorkUnit;
import ai.mesm.stage.IngestRunner;
import ai.mesm.testing.GeneratedDialog;
import ai.mesm.testing.SharedCorpus;
import ai.mesm.testing.Slow;
import ai.mesm.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingests a generated corpus in both layouts, with the corruptions a real copy of the releases
 * has (broken, empty and missing files, non-UTF-8 text, impossible windows), and checks every
 * utterance against the generator's ground truth and every problem against the rejects.
 */
@Slow
class IngestRunnerTest {
  /** Broken in setUp, one way each: their utterances must all end as rejects. */
  static final Set<String> BROKEN = Set.of("Ses02F_impro01", "Ses03F_impro01", "Ses04F_impro01", "Ses05F_impro01");
  @TempDir static Path dir;
  static SparkSession spark;
  static Path corpus;
  static final Map<Integer, GeneratedDialog> DIALOGS = new HashMap<>();

  @BeforeAll
  static void setUp() throws IOException {
    corpus = SharedCorpus.copyTo(dir.resolve("corpus"));
    Path iemocap = corpus.resolve("IEMOCAP_full_release");
    Files.write(iemocap.resolve("Session2/dialog/avi/DivX/Ses02F_impro01.avi"), new byte[0]);
    byte[] noise = new byte[50_000];
    new Random(1).nextBytes(noise);
    Files.write(iemocap.resolve("Session3/dialog/avi/DivX/Ses03F_impro01.avi"), noise);
    Files.delete(iemocap.resolve("Session4/dialog/wav/Ses04F_impro01.wav"));
    Path latin1 = iemocap.resolve("Session5/dialog/transcriptions/Ses05F_impro01.txt");
    Files.writeString(latin1, Files.readString(latin1) + "Ses05F_impro01_F099 [001.0000-002.0000]: caf\u00e9\n",
        java.nio.charset.StandardCharsets.ISO_8859_1);
    Path transcript = iemocap.resolve("Session1/dialog/transcriptions/Ses01F_impro01.txt");
    Path evaluation = iemocap.resolve("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt");
    Files.writeString(transcript, Files.readString(transcript)
        + "Ses01F_impro01_F098 [900.0000-905.0000]: Far beyond the end.\n"
        + "Ses01F_impro01_M098 [005.0000-005.0000]: No time at all.\n");
    Files.writeString(evaluation, Files.readString(evaluation)
        + "[900.0000 - 905.0000]\tSes01F_impro01_F098\tang\t[1.5000, 4.0000, 4.0000]\n\n"
        + "[5.0000 - 5.0000]\tSes01F_impro01_M098\tneu\t[2.5000, 2.5000, 2.5000]\n\n");
    spark = TestSpark.start(Map.of());
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) spark.stop();
  }

  /**
   * A one-dialog corpus of {@code utterances}, none out of class (each must end as a row or as the
   * reject under test), generated once per size for the tests of this class: read it, or change a
   * copy of it.
   */
  static synchronized GeneratedDialog dialog(int utterances) throws IOException {
    GeneratedDialog d = DIALOGS.get(utterances);
    if (d == null) {
      d = GeneratedDialog.generate(dir.resolve("dialog-" + utterances), utterances,
          "corpus.iemocap.out-of-class-fraction", "0");
      DIALOGS.put(utterances, d);
    }
    return d;
  }

  static MesmConfig config(String dataset, Path out, String... more) {
    Map<String, String> o = new HashMap<>(Map.of("dataset", dataset, "paths.input", corpus.toString(),
        "paths.ingest", out.toString()));
    for (int i = 0; i < more.length; i += 2) o.put(more[i], more[i + 1]);
    return ConfigLoader.load(List.of(), o);
  }

  static Map<String, String[]> truth(String name) throws IOException {
    Map<String, String[]> rows = new HashMap<>();
    List<String> lines = Files.readAllLines(corpus.resolve("_truth").resolve(name));
    for (String line : lines.subList(1, lines.size())) {
      String[] r = line.split(",", 11);
      rows.put(r[0], r);
    }
    return rows;
  }

  static Map<String, Row> byId(Dataset<Row> d) {
    return d.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("utterance_id"), r -> r));
  }

  static List<String> rejectKeys(Dataset<Row> rejects) {
    return rejects.collectAsList().stream().map(r -> r.getAs("reason") + " " + r.getAs("item_id")).sorted().toList();
  }

  @Test
  void iemocapUtterancesMatchTheTruthAndEveryProblemIsRejectedOnce() throws Exception {
    Path out = dir.resolve("ingest-iemocap");
    IngestReport report = IngestRunner.run(spark, config("iemocap", out, "media.face.detector", "none"));
    assertTrue(report.balanced(), report.render());
    // The tasks' time by step comes back with the sources' summaries (make bench prints it).
    Map<String, Double> steps = report.taskSecondsByStep();
    assertTrue(steps.get("decode") > 0 && steps.get("mel") > 0, steps.toString());
    assertTrue(steps.get("source") > steps.get("decode") + steps.get("mel"), steps.toString());
    assertTrue(report.writeSeconds() > 0 && report.writeSeconds() < report.seconds(), report.writeSeconds() + " s of writes");
    Map<String, Row> rows = byId(spark.read().parquet(out.resolve("utterances").toString()));
    Map<String, String[]> truth = truth("iemocap.csv");
    List<String> expected = truth.values().stream()
        .filter(t -> t[9].equals("accepted") && !BROKEN.contains(t[1])).map(t -> t[0]).sorted().toList();
    assertFalse(expected.isEmpty(), "intact dialogs with utterances to compare");
    assertEquals(expected, rows.keySet().stream().sorted().toList(), "only the intact dialogs yield utterances");
    for (Row r : rows.values()) {
      String[] t = truth.get((String) r.getAs("utterance_id"));
      double start = r.getAs("start_s");
      double end = r.getAs("end_s");
      assertEquals(Double.parseDouble(t[3]), start, 1e-4);
      assertEquals(Double.parseDouble(t[4]), end, 1e-4);
      assertEquals(t[2].equals("0") ? "left" : "right", r.getAs("side"));
      assertEquals(List.of(t[5]), r.getList(r.fieldIndex("label_names")));
      List<Integer> multiHot = r.getList(r.fieldIndex("labels"));
      assertEquals(1, multiHot.get(ai.mesm.data.DatasetKind.IEMOCAP.classes().indexOf(t[5])));
      assertEquals(1, multiHot.stream().mapToInt(Integer::intValue).sum());
      assertEquals(t[10].substring(1, t[10].length() - 1), r.getAs("text"));
      int frames = (int) Math.ceil((end - start) / 0.5 - 1e-9);
      assertEquals(frames, (int) r.getAs("n_frames"));
      assertEquals(frames * 48 * 48 * 3, ((byte[]) r.getAs("frames")).length);
      List<Double> times = r.getList(r.fieldIndex("frame_times_s"));
      for (int k = 0; k < frames; k++) assertEquals(start + 0.5 * k, times.get(k), 0.5 / 29.97 + 1e-6);
      List<Boolean> found = r.getList(r.fieldIndex("face_found"));
      assertTrue(found.stream().noneMatch(b -> b), "detector none: every crop is the centred fallback");
      int samples = (int) (Math.round(end * 16000) - Math.round(start * 16000));
      int chunks = (int) Math.ceil((1 + samples / 200) / 32.0);
      assertEquals(chunks, (int) r.getAs("n_chunks"));
      assertEquals(chunks * 128 * 32 * Float.BYTES, ((byte[]) r.getAs("mel")).length, "float32 values");
    }
    List<String> rejects = rejectKeys(spark.read().parquet(out.resolve("rejects").toString()));
    assertTrue(rejects.contains("undecodable_media Ses02F_impro01"), rejects.toString());
    assertTrue(rejects.contains("undecodable_media Ses03F_impro01"), rejects.toString());
    assertTrue(rejects.contains("missing_audio Ses04F_impro01"), rejects.toString());
    assertTrue(rejects.contains("unreadable_annotation Ses05F_impro01"), rejects.toString());
    assertTrue(rejects.contains("outside_media Ses01F_impro01_F098"), rejects.toString());
    assertTrue(rejects.contains("end_not_after_start Ses01F_impro01_M098"), rejects.toString());
    for (String[] t : truth.values()) {
      if (!BROKEN.contains(t[1]) && t[9].equals("out_of_class")) assertTrue(rejects.contains("out_of_class " + t[0]));
      if (!BROKEN.contains(t[1]) && t[9].equals("no_label")) assertTrue(rejects.contains("no_label " + t[0]));
      if (t[1].equals("Ses02F_impro01") && !t[9].equals("accepted")) continue;
      if (t[1].equals("Ses02F_impro01")) assertTrue(rejects.contains("source_rejected " + t[0]), t[0]);
    }
    assertEquals(rejects.size(), rejects.stream().distinct().count(), "each problem appears once: " + rejects);
    IngestReport.StageCount sources = report.stage("source");
    long dialogs = truth.values().stream().map(t -> t[1]).distinct().count();
    assertEquals(dialogs, sources.input());
    assertEquals(dialogs - BROKEN.size(), sources.accepted());
  }

  @Test
  void moseiAppliesTheCleaningRulesAndTheSumRule() throws Exception {
    Path out = dir.resolve("ingest-mosei");
    IngestReport report = IngestRunner.run(spark, config("mosei", out));
    assertTrue(report.balanced(), report.render());
    Map<String, Row> rows = byId(spark.read().parquet(out.resolve("utterances").toString()));
    Map<String, String[]> truth = truth("mosei.csv");
    assertEquals(truth.values().stream().filter(t -> t[9].equals("accepted")).map(t -> t[0]).sorted().toList(),
        rows.keySet().stream().sorted().toList());
    for (Row r : rows.values()) {
      String[] t = truth.get((String) r.getAs("utterance_id"));
      assertEquals(t[5].isEmpty() ? List.of() : List.of(t[5].split(";")), r.getList(r.fieldIndex("label_names")));
      assertNull(r.getAs("side"));
      assertTrue((int) r.getAs("n_frames") >= 2);
    }
    List<String> rejects = rejectKeys(spark.read().parquet(out.resolve("rejects").toString()));
    for (String[] t : truth.values()) {
      switch (t[9]) {
        case "accepted" -> { }
        case "undecodable_media" -> assertTrue(rejects.contains("source_rejected " + t[0]), rejects.toString());
        default -> assertTrue(rejects.contains(t[9] + " " + t[0]), t[9] + " " + t[0] + " in " + rejects);
      }
    }
    assertEquals(1, rejects.stream().filter(r -> r.startsWith("undecodable_media ")).count());
  }

  @Test
  void rerunReplacesTheOutputWithTheSameContent() throws Exception {
    Path out = dir.resolve("ingest-twice");
    MesmConfig c = config("mosei", out);
    IngestRunner.run(spark, c);
    List<String> first = digests(out);
    String manifest = Files.readString(out.resolve("_manifest.json"));
    IngestRunner.run(spark, c);
    assertEquals(first, digests(out));
    assertEquals(manifest, Files.readString(out.resolve("_manifest.json")));
    try (var s = Files.list(out)) {
      assertEquals(List.of("_manifest.json", "rejects", "utterances"),
          s.map(p -> p.getFileName().toString()).sorted().toList(), "no staging folder left");
    }
    assertTrue(manifest.contains("\"input_fingerprint\""));
    var field = spark.read().parquet(out.resolve("utterances").toString()).schema().apply("utterance_id");
    assertTrue(field.metadata().getString(IngestSchema.PROVENANCE_KEY).contains("\"code_version\""));
  }

  /** One digest per row over every value (NaN-safe, unlike Row.equals; byte arrays by content). */
  private static List<String> digests(Path out) throws Exception {
    List<String> d = new ArrayList<>();
    for (Row r : spark.read().parquet(out.resolve("utterances").toString()).orderBy("utterance_id").collectAsList()) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        md.update(v instanceof byte[] b ? b : String.valueOf(v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      d.add(r.getAs("utterance_id") + " " + java.util.HexFormat.of().formatHex(md.digest()));
    }
    return d;
  }

  @Test
  void aTruncatedAviRejectsTheUtterancesPastItsLastFrame() throws Exception {
    GeneratedDialog d = dialog(11).copyTo(dir.resolve("truncated"));
    byte[] avi = Files.readAllBytes(d.avi());
    Files.write(d.avi(), java.util.Arrays.copyOf(avi, avi.length / 2));
    double lastFrame = -1;
    try (var g = new org.bytedeco.javacv.FFmpegFrameGrabber(d.avi().toFile())) {
      g.start();
      org.bytedeco.javacv.Frame f;
      while ((f = g.grabImage()) != null) lastFrame = f.timestamp / 1e6;
    }
    Path out = dir.resolve("ingest-truncated");
    MesmConfig c = config("iemocap", out, "paths.input", d.root().toString(), "media.face.detector", "none");
    IngestReport report = IngestRunner.run(spark, c);
    assertTrue(report.balanced(), report.render());
    Map<String, Row> rows = byId(spark.read().parquet(out.resolve("utterances").toString()));
    Map<String, Row> rejects = spark.read().parquet(out.resolve("rejects").toString()).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("item_id"), r -> r));
    int whole = 0;
    int late = 0;
    for (GeneratedDialog.Utterance u : d.utterances()) {
      double[] times = ai.mesm.media.MediaSettings.from(c).frameTimes(u.startS(), u.endS());
      if (times[times.length - 1] > lastFrame + 0.5) {
        late++;
        Row r = rejects.get(u.id());
        assertNotNull(r, u.id() + " asks for frames after they stop: rejected, not stored without them");
        assertEquals("video_ended_early", r.getAs("reason"));
        assertEquals("utterance", r.getAs("stage"));
        String detail = r.getAs("detail");
        assertTrue(detail.contains(String.format(java.util.Locale.ROOT, "frames stop at %.2f s", lastFrame))
            && detail.contains("Ses01F_impro01.avi"), detail);
      } else {
        int frames = rows.get(u.id()).getAs("n_frames");
        if (u.endS() <= lastFrame) whole++;
        assertEquals(u.endS() <= lastFrame ? times.length : frames, frames, u.id() + " keeps its frames");
        assertTrue(frames > 0, u.id());
      }
    }
    assertTrue(whole >= 3 && late >= 3, whole + " utterances before the frames stop, " + late + " after");
    assertEquals(late, report.stage("utterance").byReason().getOrDefault("video_ended_early", 0L));
  }

  /** The same ids in two dialogs' files: every copy is rejected, since neither can be trusted, and counted. */
  @Test
  void anUtteranceIdInTwoDialogFilesIsRejectedEveryTimeItOccurs() throws Exception {
    GeneratedDialog d = dialog(5).copyTo(dir.resolve("twice"));
    Path session = d.root().resolve("IEMOCAP_full_release/Session1/dialog");
    for (String[] kind : new String[][] {{"avi/DivX", ".avi"}, {"wav", ".wav"}, {"transcriptions", ".txt"},
        {"EmoEvaluation", ".txt"}}) {
      Files.copy(session.resolve(kind[0]).resolve("Ses01F_impro01" + kind[1]),
          session.resolve(kind[0]).resolve("Ses01F_impro02" + kind[1]));
    }
    // A third dialog with ids of its own keeps them.
    GeneratedDialog other = dialog(3);
    Path otherSession = other.root().resolve("IEMOCAP_full_release/Session1/dialog");
    for (String[] kind : new String[][] {{"avi/DivX", ".avi"}, {"wav", ".wav"}, {"transcriptions", ".txt"},
        {"EmoEvaluation", ".txt"}}) {
      String text = kind[1].equals(".txt") ? Files.readString(otherSession.resolve(kind[0]).resolve("Ses01F_impro01.txt"))
          .replace("Ses01F_impro01", "Ses01F_impro03") : null;
      Path target = session.resolve(kind[0]).resolve("Ses01F_impro03" + kind[1]);
      if (text != null) Files.writeString(target, text);
      else Files.copy(otherSession.resolve(kind[0]).resolve("Ses01F_impro01" + kind[1]), target);
    }
    Path out = dir.resolve("ingest-twice");
    IngestReport report = IngestRunner.run(spark, config("iemocap", out, "paths.input", d.root().toString(),
        "media.face.detector", "none"));
    assertTrue(report.balanced(), report.render());
    List<Row> utterances = spark.read().parquet(out.resolve("utterances").toString()).collectAsList();
    assertEquals(other.utterances().size(), utterances.size(), "only the third dialog's ids are kept");
    assertTrue(utterances.stream().allMatch(r -> r.<String>getAs("utterance_id").startsWith("Ses01F_impro03")));
    List<Row> duplicates = spark.read().parquet(out.resolve("rejects").toString())
        .where("reason = 'duplicate_utterance_id'").collectAsList();
    assertEquals(2 * d.utterances().size(), duplicates.size(), duplicates.toString());
    assertEquals(2 * d.utterances().size(), report.stage("utterance").byReason().get("duplicate_utterance_id"));
    assertTrue(duplicates.stream().allMatch(r -> r.<String>getAs("detail").contains("Ses01F_impro01.avi")
        && r.<String>getAs("detail").contains("Ses01F_impro02.avi")), duplicates.toString());
  }

  /** Two sessions with a file of the same dialog: the second is a source reject, not silently dropped. */
  @Test
  void aSecondFileOfTheSameDialogIsRejectedAndCounted() throws Exception {
    GeneratedDialog d = dialog(3).copyTo(dir.resolve("two-sessions"));
    Path release = d.root().resolve("IEMOCAP_full_release");
    Path copy = Files.createDirectories(release.resolve("Session2/dialog/transcriptions")).resolve("Ses01F_impro01.txt");
    Files.copy(release.resolve("Session1/dialog/transcriptions/Ses01F_impro01.txt"), copy);
    Path out = dir.resolve("ingest-two-sessions");
    IngestReport report = IngestRunner.run(spark, config("iemocap", out, "paths.input", d.root().toString(),
        "media.face.detector", "none"));
    assertTrue(report.balanced(), report.render());
    assertEquals(2, report.stage("source").input(), report.render());
    assertEquals(Map.of("duplicate_file", 1L), report.stage("source").byReason());
    assertEquals(d.utterances().size(), report.stage("utterance").accepted());
    Row reject = spark.read().parquet(out.resolve("rejects").toString()).where("reason = 'duplicate_file'").first();
    assertTrue(reject.<String>getAs("source_path").contains("Session2"), reject.toString());
  }

  @Test
  void annotationFilesOverTheSizeCapRejectTheirSourceUnread() throws Exception {
    GeneratedDialog d = dialog(11);
    // The transcript is read first: it is the file refused.
    long transcript = Files.size(d.root().resolve("IEMOCAP_full_release/Session1/dialog/transcriptions/Ses01F_impro01.txt"));
    assertTrue(transcript > 1024, "the transcript must be over the cap: " + transcript);
    Path out = dir.resolve("ingest-capped");
    IngestReport report = IngestRunner.run(spark, config("iemocap", out, "paths.input", d.root().toString(),
        "media.max-text-file-size", "1K"));
    assertTrue(report.balanced(), report.render());
    List<Row> rejects = spark.read().parquet(out.resolve("rejects").toString()).collectAsList();
    assertEquals(1, rejects.size(), rejects.toString());
    assertEquals("unreadable_annotation", rejects.get(0).getAs("reason"));
    assertTrue(rejects.get(0).<String>getAs("detail").endsWith(String.format(java.util.Locale.ROOT,
        "Ses01F_impro01.txt: %.1f KiB, over the 1.0 KiB limit for text files (mesm.media.max-text-file-size)",
        transcript / 1024.0)), rejects.get(0).<String>getAs("detail"));
    assertEquals(0, spark.read().parquet(out.resolve("utterances").toString()).count());
  }

  @Test
  void anUnexpectedFailureRejectsItsSourceAndTheOtherSourcesGoOn() throws Exception {
    MesmConfig c = config("mosei", dir.resolve("unused"));
    ReleaseScan scan = new ReleaseScanner(new org.apache.hadoop.conf.Configuration(), 1 << 20).scan(ai.mesm.data.DatasetKind.MOSEI,
        corpus.toString());
    Map<String, String[]> truth = truth("mosei.csv");
    List<WorkUnit> intact = scan.units().stream().filter(u -> truth.values().stream()
        .anyMatch(t -> t[1].equals(u.sourceId()) && t[9].equals("accepted"))).limit(2).toList();
    WorkUnit good = intact.get(0);
    // Labels of the wrong arity stand in for any bug: the first utterance's record cannot be built.
    WorkUnit bad = new WorkUnit(intact.get(1).dataset(), intact.get(1).sourceId(), intact.get(1).video(),
        intact.get(1).audio(), intact.get(1).transcript(), null, intact.get(1).clipLabels().stream()
        .map(l -> new WorkUnit.ClipLabels(l.clip(), l.sums().subList(0, 5), l.rows(), l.sourcePath())).toList());
    List<SourceItem> items = new ArrayList<>();
    new IngestRunner.ProcessSources(ai.mesm.media.MediaSettings.from(c), Map.of()).call(List.of(bad, good).iterator())
        .forEachRemaining(items::add);
    List<Reject> failed = items.stream().filter(i -> i instanceof Reject r && r.reason().equals("processing_failed"))
        .map(i -> (Reject) i).toList();
    assertEquals(1, failed.size(), items.toString());
    assertEquals(bad.sourceId(), failed.get(0).itemId());
    assertTrue(failed.get(0).detail().matches("java\\.lang\\.\\w*IndexOutOfBoundsException: .*"), failed.get(0).detail());
    assertFalse(failed.get(0).detail().contains("\tat "), "no stack trace in the row");
    List<UtteranceRecord> utterances = items.stream().filter(i -> i instanceof UtteranceRecord)
        .map(i -> (UtteranceRecord) i).toList();
    assertFalse(utterances.isEmpty());
    assertTrue(utterances.stream().allMatch(u -> u.sourceId().equals(good.sourceId())));
    assertTrue(items.stream().anyMatch(i -> i instanceof Reject r && r.reason().equals("source_rejected")
        && r.itemId().startsWith(bad.sourceId())));
    List<SourceSummary> summaries = items.stream().filter(i -> i instanceof SourceSummary).map(i -> (SourceSummary) i)
        .toList();
    assertEquals(List.of(false, true), summaries.stream().map(SourceSummary::accepted).toList());
    IngestReport report = IngestRunner.account(ai.mesm.data.DatasetKind.MOSEI, "-", new ReleaseScan(List.of(bad, good),
        List.of(), 0, 0, 0, List.of(), 0), summaries, 0, 1, 0.5);
    assertTrue(report.balanced(), report.render());
  }

  @Test
  void aMissingReleaseFolderIsAClearError() {
    IOException e = assertThrows(IOException.class,
        () -> IngestRunner.run(spark, config("iemocap", dir.resolve("x"), "paths.input", dir.resolve("nothing").toString())));
    assertTrue(e.getMessage().contains("no IEMOCAP_full_release/ folder"), e.getMessage());
  }
}
