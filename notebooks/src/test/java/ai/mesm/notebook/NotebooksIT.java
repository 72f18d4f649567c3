package ai.mesm.notebook;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.ingest.Csv;
import ai.mesm.jobs.AttentionMapJob;
import ai.mesm.jobs.EvaluateJob;
import ai.mesm.jobs.GenerateCorpusJob;
import ai.mesm.jobs.IngestJob;
import ai.mesm.jobs.MakeArchiveJob;
import ai.mesm.jobs.ScoreJob;
import ai.mesm.jobs.SplitJob;
import ai.mesm.jobs.TopPSweepJob;
import ai.mesm.jobs.TrainJob;
import ai.mesm.testing.S3ProxyServer;
import ai.mesm.testing.ShortJvms;
import ai.mesm.testing.TempTrees;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every notebook executed headless by Jupyter (nbconvert, the product's kernel) on the outputs of a
 * small generated corpus that this test runs the jobs on first: no cell may raise, every cell tagged
 * "chart" must put out a PNG, and the numbers the notebooks print must equal the jobs' own reports.
 */
class NotebooksIT {
  static final Path ROOT = Path.of(System.getProperty("mesm.root", "..")).toAbsolutePath().normalize();
  static final Path WORK = ROOT.resolve("notebooks/target/notebook-it");
  static final Path FIXTURE_CONF = WORK.resolve("fixture.conf");
  static final String[] CONFIG = {"--config", ROOT.resolve("conf/demo.conf").toString(), "--config", FIXTURE_CONF.toString()};

  static S3ProxyServer s3;
  /**
   * One kernel beside the jobs (two there took as long on 2 cores: 108 s against 113 s), two at a
   * time once the jobs are done and a kernel alone keeps only ~1.2 cores busy.
   */
  static final ExecutorService runner = Executors.newFixedThreadPool(2);
  static final Semaphore kernels = new Semaphore(1);
  static final Map<String, Future<JsonObject>> executed = new ConcurrentHashMap<>();
  static final Path S3_CONF = WORK.resolve("s3.conf");
  static final String LOCAL_CONFIG = String.join(",", CONFIG[1], CONFIG[3]);
  /** MESM at p = 0.5: the sweep's only point, so the sweep reuses it instead of training it again. */
  static final String MESM_RUN = "top-p-tav-p0.5";

  @AfterAll
  static void stopS3() throws InterruptedException {
    runner.shutdownNow();
    runner.awaitTermination(1, TimeUnit.MINUTES);
    if (s3 != null) s3.close();
  }

  @BeforeAll
  static void runTheJobsOnASmallCorpus() throws Exception {
    TempTrees.delete(WORK);
    Files.createDirectories(WORK);
    String out = WORK.resolve("output").toString();
    // The demo's layout under WORK, a smaller corpus and model, and the sweep reduced to one point.
    Files.writeString(FIXTURE_CONF, """
        mesm {
          paths {
            input = "%1$s/corpus"
            ingest = "%1$s/ingest/"${mesm.dataset}
            split = "%1$s/split/"${mesm.dataset}
            models = "%1$s/models/"${mesm.dataset}
            reports = "%1$s/reports/"${mesm.dataset}
            scores = "%1$s/scores/"${mesm.dataset}
          }
          split.files = "%1$s/corpus/mosei_folds"
          corpus { output = "%1$s/corpus", size = 48, frame-rate = 10 }
          model { cnn.channel-divisor = 16, dim = 32, layers = 1, feed-forward = 128 }
          train { max-epochs = 2, patience = 2, learning-rate = 1e-3 }
          eval.models = [fe2e-tav, %2$s]
          maps.model = %2$s
          score { input = "%1$s/archive", model = fe2e-tav }
          sweep { top-p = [0.5], fe2e-reference = fe2e-tav }
        }
        """.formatted(out, MESM_RUN));
    job(GenerateCorpusJob::main);
    job(IngestJob::main);
    job(SplitJob::main);
    // Each notebook runs as soon as the outputs it reads exist, while the jobs after them go on.
    submitDataNotebook();
    job(TrainJob::main);
    // MESM trained once, under the name the sweep gives its only point: the sweep reuses it.
    job(TrainJob::main, "model.type=mesm", "model.mesm.top-p=0.5", "train.run-name=" + MESM_RUN);
    job(EvaluateJob::main);
    submit("02-models.ipynb", Map.of(Notebook.CONFIG_ENV, LOCAL_CONFIG));
    job(AttentionMapJob::main);
    job(TopPSweepJob::main);
    submit("03-attention.ipynb", Map.of(Notebook.CONFIG_ENV, LOCAL_CONFIG));
    job(MakeArchiveJob::main);
    job(ScoreJob::main);
    submit("04-scoring.ipynb", Map.of(Notebook.CONFIG_ENV, LOCAL_CONFIG));
    kernels.release();
    runner.shutdown();
  }

  /**
   * The data notebook reads the ingest and split folders from an S3 endpoint, keys from the
   * environment as a user would give them (docs/notebooks.md).
   */
  private static void submitDataNotebook() throws Exception {
    s3 = S3ProxyServer.start(WORK.resolve("s3"));
    s3.createBucket("lab");
    s3.upload(WORK.resolve("output/ingest/iemocap"), "lab", "iemocap/ingest");
    s3.upload(WORK.resolve("output/split/iemocap"), "lab", "iemocap/split");
    StringBuilder conf = new StringBuilder("""
        mesm.paths { ingest = "s3a://lab/iemocap/ingest", split = "s3a://lab/iemocap/split" }
        mesm.spark.conf {
          "spark.hadoop.fs.s3a.access.key" = ${?AWS_ACCESS_KEY_ID}
          "spark.hadoop.fs.s3a.secret.key" = ${?AWS_SECRET_ACCESS_KEY}
        """);
    s3.sparkConf().forEach((k, v) -> {
      if (!k.endsWith(".access.key") && !k.endsWith(".secret.key")) conf.append("  \"").append(k).append("\" = \"").append(v).append("\"\n");
    });
    Files.writeString(S3_CONF, conf.append("}\n").toString());
    submit("01-data.ipynb", Map.of(Notebook.CONFIG_ENV, String.join(",", LOCAL_CONFIG, S3_CONF.toString()),
        "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY));
  }

  /** Each kernel on the client compiler: a notebook's JVM lives ~20 s (ShortJvms). */
  private static void submit(String notebook, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("MESM_JAVA_OPTS", ShortJvms.JAVA_OPTS);
    executed.put(notebook, runner.submit(() -> {
      kernels.acquire();
      try {
        return NotebookRunner.execute(ROOT.resolve("notebooks/" + notebook), WORK.resolve("executed"),
            ROOT.resolve("notebooks/target/jupyter"), env);
      } finally {
        kernels.release();
      }
    }));
  }

  /** The executed notebook; its failure (a cell that raised, a kernel that never answered) as this test's. */
  private static JsonObject executed(String notebook) throws Exception {
    try {
      return executed.get(notebook).get(20, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) throw error;
      throw (Exception) e.getCause();
    }
  }

  private static void job(Consumer<String[]> main, String... settings) {
    List<String> args = new ArrayList<>(List.of(CONFIG));
    args.addAll(List.of(settings));
    main.accept(args.toArray(String[]::new));
  }

  /** Read from s3a://, with the keys in the kernel's environment: the counts, and no key in the output. */
  @Test
  void dataNotebookCountsWhatTheSplitCounted() throws Exception {
    JsonObject nb = executed("01-data.ipynb");
    requireHealthy(nb);
    assertTrue(outputText(nb).startsWith("s3a://lab/iemocap/split: "), outputText(nb));
    assertFalse(nb.toString().contains(S3ProxyServer.SECRET_KEY), "the secret key is in the executed notebook");
    Map<String, List<String>> printed = rowsByFirstCell(printedTableAfter(nb, "label"));
    Map<String, List<String>> statistics = csvByFirstCell(Files.readString(WORK.resolve("output/split/iemocap/statistics.csv")));
    int checked = 0;
    for (Map.Entry<String, List<String>> e : statistics.entrySet()) {
      // statistics.csv: label, avg_word_count, avg_clip_duration_s, train, valid, test, train_pos_weight
      List<String> s = e.getValue();
      long total = Long.parseLong(s.get(2)) + Long.parseLong(s.get(3)) + Long.parseLong(s.get(4));
      if (total == 0) {
        assertFalse(printed.containsKey(e.getKey()), e.getKey());
        continue;
      }
      List<String> p = printed.get(e.getKey());
      assertNotNull(p, "class " + e.getKey() + " missing from the notebook's table");
      assertEquals(List.of(s.get(2), s.get(3), s.get(4)), p.subList(0, 3), e.getKey());
      assertEquals(Double.parseDouble(s.get(1)), Double.parseDouble(p.get(3)), 1e-3, e.getKey());
      checked++;
    }
    assertTrue(checked >= 4, "only " + checked + " classes compared");

    // Rejects by stage and reason: the ingest manifest's accounting.
    Map<String, String> expected = new HashMap<>();
    for (JsonElement a : JsonParser.parseString(Files.readString(WORK.resolve("output/ingest/iemocap/_manifest.json")))
        .getAsJsonObject().getAsJsonArray("accounting")) {
      JsonObject stage = a.getAsJsonObject();
      stage.getAsJsonObject("rejects_by_reason").entrySet().forEach(r ->
          expected.put(stage.get("stage").getAsString() + "/" + r.getKey(), Long.toString(r.getValue().getAsLong())));
    }
    Map<String, String> rejects = new HashMap<>();
    for (List<String> row : printedTableAfter(nb, "stage")) rejects.put(row.get(0) + "/" + row.get(1), row.get(2));
    assertFalse(expected.isEmpty());
    assertEquals(expected, rejects);
  }

  @Test
  void modelsNotebookRecountsTheEvaluationsF1() throws Exception {
    JsonObject nb = executed("02-models.ipynb");
    requireHealthy(nb);
    Path evaluation = WORK.resolve("output/reports/iemocap/evaluation");
    Map<String, String> tableName = new HashMap<>();
    for (JsonElement m : JsonParser.parseString(Files.readString(evaluation.resolve("_manifest.json"))).getAsJsonObject()
        .getAsJsonArray("models")) {
      tableName.put(m.getAsJsonObject().get("model_id").getAsString(), m.getAsJsonObject().get("label").getAsString());
    }
    assertEquals(2, tableName.size());
    // results.csv: model,label,threshold,accuracy,weighted_accuracy,f1,precision,recall,roc_auc,positives,total,...
    Map<String, List<String>> results = new HashMap<>();
    List<Csv.Row> csv = csv(evaluation.resolve("results.csv"));
    for (Csv.Row row : csv.subList(1, csv.size())) results.put(row.fields().get(0) + "/" + row.fields().get(1), row.fields());
    List<List<String>> confusion = printedTableAfter(nb, "model");
    assertEquals(2 * 6, confusion.size(), "one row per model and class");
    for (List<String> row : confusion) {
      List<String> r = results.get(tableName.get(row.get(0)) + "/" + row.get(1));
      assertNotNull(r, row.toString());
      assertEquals(Double.parseDouble(r.get(5)), Double.parseDouble(row.get(6)), 1e-4, "F1 of " + row);
      long total = 0;
      for (int i = 2; i <= 5; i++) total += Long.parseLong(row.get(i));
      assertEquals(Long.parseLong(r.get(10)), total, "test utterances of " + row);
      assertEquals(Long.parseLong(r.get(9)), Long.parseLong(row.get(2)) + Long.parseLong(row.get(4)), "positives of " + row);
    }
  }

  @Test
  void attentionNotebookShowsEachBlocksKeptFractionAndTheSweep() throws Exception {
    JsonObject nb = executed("03-attention.ipynb");
    requireHealthy(nb);
    List<String> index = Files.readAllLines(WORK.resolve("output/reports/iemocap/attention-maps-" + MESM_RUN + "/index.csv"));
    Map<String, long[]> sums = new HashMap<>();
    for (String line : index.subList(1, index.size())) {
      // utterance_id,modality,step,block,grid_height,grid_width,kept_sites,file
      String[] f = line.split(",");
      long[] s = sums.computeIfAbsent(f[1] + "/" + f[3], k -> new long[2]);
      s[0] += Long.parseLong(f[6]);
      s[1] += Long.parseLong(f[4]) * Long.parseLong(f[5]);
    }
    List<List<String>> printed = printedTableAfter(nb, "modality");
    assertEquals(sums.size(), printed.size());
    for (List<String> row : printed) {
      long[] s = sums.get(row.get(0) + "/" + row.get(1));
      assertNotNull(s, row.toString());
      assertEquals(List.of(Long.toString(s[0]), Long.toString(s[1])), row.subList(2, 4));
      assertEquals((double) s[0] / s[1], Double.parseDouble(row.get(4)), 1e-4);
    }
    String text = outputText(nb);
    String sweep = Files.readString(WORK.resolve("output/reports/iemocap/top-p-tav/top_p_sweep.csv")).strip();
    assertTrue(text.contains(sweep), "the sweep's table is printed");
    assertTrue(sweep.contains("\n" + MESM_RUN + ",0.5,") && sweep.lines().filter(l -> l.startsWith(MESM_RUN + ","))
        .allMatch(l -> l.endsWith(",true")), "the sweep reused the MESM model TrainJob published:\n" + sweep);
    // The default maps.count (6) picks test utterances to show every class the test split has.
    csvByFirstCell(Files.readString(WORK.resolve("output/split/iemocap/statistics.csv"))).forEach((label, s) -> {
      if (Long.parseLong(s.get(4)) > 0) assertFalse(text.contains(label + ": no drawn test utterance"), label + "\n" + text);
    });
  }

  @Test
  void scoringNotebookCountsTheLabelsTheExportHolds() throws Exception {
    JsonObject nb = executed("04-scoring.ipynb");
    requireHealthy(nb);
    Path export = Files.list(WORK.resolve("output/scores/iemocap/fe2e-tav/export")).filter(p -> p.toString().endsWith(".csv"))
        .findFirst().orElseThrow();
    List<Csv.Row> rows = csv(export);
    int labels = rows.get(0).fields().indexOf("labels");
    Map<String, Long> expected = new HashMap<>();
    long unlabelled = 0;
    for (Csv.Row row : rows.subList(1, rows.size())) {
      String value = row.fields().get(labels);
      if (value.isEmpty()) unlabelled++;
      for (String l : value.split(";")) if (!l.isEmpty()) expected.merge(l, 1L, Long::sum);
    }
    Map<String, List<String>> printed = rowsByFirstCell(printedTableAfter(nb, "label"));
    assertEquals(expected.keySet(), printed.keySet());
    expected.forEach((label, n) -> assertEquals(Long.toString(n), printed.get(label).get(0), label));
    assertTrue(outputText(nb).contains("segments without a label: " + unlabelled + "\n"));
    assertTrue(outputText(nb).contains("unreadable") || outputText(nb).contains("undecodable"),
        "the archive's corrupt video is listed with its reason");
  }

  /** No cell raised, every cell ran, and every "chart" cell put out at least one PNG. */
  private static void requireHealthy(JsonObject nb) {
    int charts = 0;
    for (JsonElement e : nb.getAsJsonArray("cells")) {
      JsonObject cell = e.getAsJsonObject();
      if (!cell.get("cell_type").getAsString().equals("code")) continue;
      String source = NotebookRunner.text(cell.get("source"));
      assertFalse(cell.get("execution_count").isJsonNull(), "a cell did not run: " + source);
      boolean png = false;
      for (JsonElement o : cell.getAsJsonArray("outputs")) {
        JsonObject output = o.getAsJsonObject();
        assertNotEquals("error", output.get("output_type").getAsString(), () -> "cell raised: " + output + "\n" + source);
        if (output.has("data") && output.getAsJsonObject("data").has("image/png")) png = true;
      }
      if (tags(cell).contains("chart")) {
        assertTrue(png, "chart cell without a PNG: " + source);
        charts++;
      }
    }
    assertTrue(charts >= 1, "no chart cell");
  }

  private static List<String> tags(JsonObject cell) {
    List<String> tags = new ArrayList<>();
    JsonObject metadata = cell.getAsJsonObject("metadata");
    if (metadata != null && metadata.has("tags")) metadata.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
    return tags;
  }

  /** All the notebook's standard output (Spark's warnings go to its stderr stream). */
  private static String outputText(JsonObject nb) {
    StringBuilder sb = new StringBuilder();
    for (JsonElement e : nb.getAsJsonArray("cells")) {
      JsonObject cell = e.getAsJsonObject();
      if (!cell.has("outputs")) continue;
      for (JsonElement o : cell.getAsJsonArray("outputs")) {
        JsonObject output = o.getAsJsonObject();
        if (output.get("output_type").getAsString().equals("stream") && output.get("name").getAsString().equals("stdout")) {
          sb.append(NotebookRunner.text(output.get("text")));
        }
      }
    }
    return sb.toString();
  }

  /** The rows of the first printed TextTable whose header starts with {@code firstColumn}. */
  private static List<List<String>> printedTableAfter(JsonObject nb, String firstColumn) {
    String[] lines = outputText(nb).split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith(firstColumn + " ")) continue;
      List<List<String>> rows = new ArrayList<>();
      int columns = lines[i].trim().split("\\s{2,}").length;
      for (int j = i + 1; j < lines.length; j++) {
        String[] cells = lines[j].trim().split("\\s{2,}");
        if (cells.length != columns) break;
        rows.add(List.of(cells));
      }
      return rows;
    }
    fail("no table starting with column '" + firstColumn + "' in:\n" + outputText(nb));
    return List.of();
  }

  private static List<Csv.Row> csv(Path file) throws IOException {
    try (java.io.Reader reader = Files.newBufferedReader(file)) {
      return Csv.read(reader);
    }
  }

  private static Map<String, List<String>> rowsByFirstCell(List<List<String>> rows) {
    Map<String, List<String>> m = new HashMap<>();
    for (List<String> r : rows) m.put(r.get(0), r.subList(1, r.size()));
    return m;
  }

  private static Map<String, List<String>> csvByFirstCell(String csv) {
    Map<String, List<String>> m = new HashMap<>();
    String[] lines = csv.split("\n");
    for (int i = 1; i < lines.length; i++) {
      List<String> f = List.of(lines[i].trim().split(","));
      m.put(f.get(0), f.subList(1, f.size()));
    }
    return m;
  }
}
