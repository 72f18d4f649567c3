package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.InvalidConfigException;
import ai.mesm.config.MesmConfig;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.OutputGuard;
import ai.mesm.io.PathSettings;
import ai.mesm.io.Sha256;
import ai.mesm.media.MediaSettings;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelManifest;
import ai.mesm.model.ModelSettings;
import ai.mesm.score.ScorePartition;
import ai.mesm.score.ScoreSettings;
import ai.mesm.score.ScoreTables;
import ai.mesm.score.VideoScorer;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Scores an archive of videos with a trained model (ScoreJob): each video on an executor
 * ({@link VideoScorer}), one row per segment into {@code <paths.scores>/<model id>/scores/}, what
 * could not be scored into {@code rejects/}, both Parquet, and an export of all rows as CSV or
 * JSON Lines in {@code export/}.
 *
 * <p>Resumable and idempotent: a run writes its files into a staging folder, moves them in with
 * its run id in their names, and commits by writing {@code _runs/<run id>.json} last. Files of a
 * run without that marker (a crash while moving) are deleted by the next run, and a video is done
 * when committed files hold a row or a reject of it. Every video is scored within one task, so
 * its rows and rejects sit in one file of each dataset. mode = resume scores only the videos not
 * done; overwrite starts over.
 */
public final class ScoreRunner {
  public static final String SCORES = "scores";
  public static final String REJECTS = "rejects";
  public static final String EXPORT = "export";
  public static final String RUNS = "_runs";
  /** SHA-256 of the model folder's manifest: it changes whenever the model is trained again. */
  static final String MODEL_FINGERPRINT = "model_fingerprint";

  private ScoreRunner() {}

  /** What a run did (this run's numbers, plus the videos earlier runs had done). */
  public record Result(String output, String modelId, int videos, int alreadyDone, long scoredVideos,
                       long rejectedVideos, long segments, long rows, long segmentRejects, long lineRejects,
                       double mediaSeconds, double seconds, Map<String, Double> taskSecondsByStep, double writeSeconds) {
    /** The accounting line of docs/computation.md#accounting: every input video and segment ends as output or reject. */
    public String accounting() {
      return String.format(Locale.ROOT, "videos: %d in the archive = %d done before + %d scored + %d rejected%n"
              + "segments: %d = %d scored + %d rejected (and %d segment-file lines skipped)", videos, alreadyDone,
          scoredVideos, rejectedVideos, segments, rows, segmentRejects, lineRejects);
    }

    public boolean balanced() {
      return videos == alreadyDone + scoredVideos + rejectedVideos && segments == rows + segmentRejects;
    }
  }

  public static Result run(SparkSession spark, MesmConfig config, Consumer<String> log) throws IOException {
    long t0 = System.nanoTime();
    ScoreSettings settings = ScoreSettings.of(config);
    if (settings.input().isBlank()) {
      throw new InvalidConfigException(SCORE_INPUT, "must name the folder or prefix of the videos to score");
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    PathSettings paths = PathSettings.of(config);
    String name = settings.model().isBlank() ? RunNameSettings.of(config).name() : settings.model();
    String modelLocation = paths.modelLocation(name);
    // The driver reads the manifest only; the executors load the weights.
    String manifestJson = AtomicOutput.requireComplete(modelLocation, hadoop, "TrainJob");
    ModelManifest manifest = ModelArtifact.parseManifest(modelLocation, manifestJson);
    Path output = new Path(paths.scores(), manifest.modelId());
    OutputGuard.requireApart(hadoop, PATHS_SCORES, output.toString(),
        Map.of(SCORE_INPUT, settings.input(), SCORE_SEGMENTS, settings.segments(), SCORE_MODEL, modelLocation));
    FileSystem fs = output.getFileSystem(hadoop);
    String fingerprint = Sha256.hex(manifestJson);
    if (settings.mode().equals("overwrite")) fs.delete(output, true);
    discardUncommitted(fs, output);
    requireSameModel(fs, output, manifest.modelId(), fingerprint);

    List<String> videos = listVideos(settings.input(), settings.extensions(), hadoop);
    if (videos.isEmpty()) {
      throw new IOException(settings.input() + ": no videos (files ending in " + settings.extensions() + ")");
    }
    Set<String> done = doneVideos(spark, fs, output);
    List<String> todo = videos.stream().filter(v -> !done.contains(v)).toList();
    int alreadyDone = videos.size() - todo.size();
    log.accept(String.format(Locale.ROOT, "scoring %s with %s (%s): %d videos, %d already scored, %d to score -> %s",
        settings.input(), manifest.modelId(), ai.mesm.model.Modality.label(manifest.spec().modalities()), videos.size(),
        alreadyDone, todo.size(), output));

    String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + UUID.randomUUID().toString().substring(0, 8);
    long[] totals = new long[7];
    Map<String, Double> steps = Map.of();
    double writeSeconds = 0;
    if (!todo.isEmpty()) {
      Totals t = scoreAndCommit(spark, config, settings, manifest, modelLocation, todo, output, fs, runId, fingerprint, log);
      totals = t.counts();
      steps = t.secondsByStep();
      writeSeconds = t.writeSeconds();
    }
    export(spark, fs, output, settings.format());
    Result r = new Result(output.toString(), manifest.modelId(), videos.size(), alreadyDone, totals[0], totals[1],
        totals[2], totals[3], totals[4], totals[5], totals[6] / 1000.0, (System.nanoTime() - t0) / 1e9, steps,
        writeSeconds);
    writeManifest(fs, output, manifest, modelLocation, fingerprint, r);
    return r;
  }

  /**
   * What a scoring run did: {scored videos, rejected videos, segments, rows, segment rejects, line
   * rejects, media milliseconds}, and its videos' seconds by step, summed over tasks.
   */
  private record Totals(long[] counts, Map<String, Double> secondsByStep, double writeSeconds) {}

  private static Totals scoreAndCommit(SparkSession spark, MesmConfig config, ScoreSettings settings,
                                       ModelManifest manifest, String modelLocation, List<String> todo, Path output,
                                       FileSystem fs, String runId, String fingerprint, Consumer<String> log)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator videosDone = jsc.sc().longAccumulator("videos scored");
    LongAccumulator segmentsDone = jsc.sc().longAccumulator("segments scored");
    Map<String, String> hadoopSettings = new TreeMap<>();
    spark.sparkContext().hadoopConfiguration().forEach(e -> hadoopSettings.put(e.getKey(), e.getValue()));
    int slices = Math.max(1, Math.min(todo.size(), jsc.defaultParallelism() * 4));
    JavaRDD<VideoScorer.Result> results = jsc.parallelize(todo, slices)
        .mapPartitions(new ScorePartition(settings, MediaSettings.from(config), ModelSettings.kernels(config),
            modelLocation, hadoopSettings, videosDone, segmentsDone))
        .persist(StorageLevel.MEMORY_AND_DISK());
    String modelId = manifest.modelId();
    String version = manifest.codeVersion();
    Path staging = new Path(output, "_staging-" + runId);
    long start = System.nanoTime();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "score-progress");
      t.setDaemon(true);
      return t;
    });
    progress.scheduleAtFixedRate(() -> log.accept(String.format(Locale.ROOT, "  %d/%d videos, %.2f segments/s",
        videosDone.value(), todo.size(), segmentsDone.value() / ((System.nanoTime() - start) / 1e9))), 10, 10,
        TimeUnit.SECONDS);
    long[] totals;
    Map<String, Double> steps;
    double writeSeconds;
    try {
      // The totals run the media pass (its results stay cached), so the Parquet writes are timed apart from it.
      totals = results.map(ScoreRunner::counts).reduce(ScoreRunner::sum);
      steps = results.map(r -> (Map<String, Double>) new TreeMap<>(r.secondsByStep())).reduce((a, b) -> {
        ai.mesm.media.MediaTimes.addTo(a, b);
        return a;
      });
      long writing = System.nanoTime();
      JavaRDD<Row> rows = results.flatMap(r -> r.rows().stream().map(s -> ScoreTables.row(s, modelId, version, runId))
          .iterator());
      JavaRDD<Row> rejects = results.flatMap(r -> r.rejects().stream().map(x -> ScoreTables.reject(x, modelId, runId))
          .iterator());
      spark.createDataFrame(rows, ScoreTables.scores(manifest.classes())).write().mode(SaveMode.Overwrite)
          .parquet(new Path(staging, SCORES).toString());
      spark.createDataFrame(rejects, ScoreTables.rejects()).write().mode(SaveMode.Overwrite)
          .parquet(new Path(staging, REJECTS).toString());
      writeSeconds = (System.nanoTime() - writing) / 1e9;
    } finally {
      progress.shutdownNow();
      results.unpersist(false);
    }
    log.accept(String.format(Locale.ROOT, "  %d/%d videos, %.2f segments/s, %.1f media-seconds/s", todo.size(),
        todo.size(), totals[3] / ((System.nanoTime() - start) / 1e9),
        totals[6] / 1000.0 / ((System.nanoTime() - start) / 1e9)));
    commit(fs, staging, output, runId, fingerprint, totals);
    return new Totals(totals, steps, writeSeconds);
  }

  private static long[] counts(VideoScorer.Result r) {
    long segmentRejects = r.rejects().stream().filter(x -> x.stage().equals("segment")).count();
    long lineRejects = r.rejects().stream().filter(x -> x.stage().equals("line")).count();
    boolean scored = !r.rows().isEmpty();
    return new long[] {scored ? 1 : 0, scored ? 0 : 1, r.segments(), r.rows().size(), segmentRejects, lineRejects,
        Math.round(r.mediaSeconds() * 1000)};
  }

  private static long[] sum(long[] a, long[] b) {
    long[] c = new long[a.length];
    for (int i = 0; i < a.length; i++) c[i] = a[i] + b[i];
    return c;
  }

  /** Moves the staged part files in (named after the run), then writes the run's marker: the commit. */
  private static void commit(FileSystem fs, Path staging, Path output, String runId, String fingerprint, long[] totals)
      throws IOException {
    for (String dataset : List.of(SCORES, REJECTS)) {
      Path target = new Path(output, dataset);
      fs.mkdirs(target);
      for (FileStatus f : fs.listStatus(new Path(staging, dataset))) {
        String n = f.getPath().getName();
        if (!n.endsWith(".parquet")) continue;
        if (!fs.rename(f.getPath(), new Path(target, runId + "-" + n))) {
          throw new IOException("cannot move " + f.getPath() + " into " + target);
        }
      }
    }
    JsonObject marker = new JsonObject();
    marker.addProperty("run_id", runId);
    marker.addProperty(MODEL_FINGERPRINT, fingerprint);
    marker.addProperty("finished", Instant.now().toString());
    marker.addProperty("videos_scored", totals[0]);
    marker.addProperty("videos_rejected", totals[1]);
    marker.addProperty("rows", totals[3]);
    write(fs, new Path(new Path(output, RUNS), runId + ".json"), marker.toString());
    fs.delete(staging, true);
  }

  /**
   * Resuming adds rows to those of earlier runs, so they must come from the same model: a model
   * retrained under the same name has other weights and thresholds, and mixing its rows with the
   * old ones would give one archive two models' labels. Refused, naming the way out.
   */
  private static void requireSameModel(FileSystem fs, Path output, String modelId, String fingerprint)
      throws IOException {
    Path runs = new Path(output, RUNS);
    if (!fs.exists(runs)) return;
    for (FileStatus f : fs.listStatus(runs)) {
      String theirs;
      try (java.io.InputStream in = fs.open(f.getPath())) {
        com.google.gson.JsonElement v = com.google.gson.JsonParser.parseString(
            new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject().get(MODEL_FINGERPRINT);
        theirs = v == null ? "none recorded" : v.getAsString();
      } catch (RuntimeException e) {
        throw new IOException(f.getPath() + ": unreadable run marker (" + e.getMessage() + ")", e);
      }
      if (!theirs.equals(fingerprint)) {
        throw new InvalidConfigException(SCORE_MODE, output + " holds scores of another version of model " + modelId
            + " (model fingerprint " + abbreviated(theirs) + ", the model is now " + abbreviated(fingerprint)
            + ": retrained or replaced since): resuming would mix two models' labels in one archive. Set score.mode = "
            + "overwrite to rescore every video with this model, or another paths.scores to keep both");
      }
    }
  }

  private static String abbreviated(String fingerprint) {
    return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
  }

  /** Part files of runs that never wrote their marker, and their staging folders: a crash's leftovers. */
  private static void discardUncommitted(FileSystem fs, Path output) throws IOException {
    if (!fs.exists(output)) return;
    Set<String> committed = new HashSet<>();
    Path runs = new Path(output, RUNS);
    if (fs.exists(runs)) {
      for (FileStatus f : fs.listStatus(runs)) committed.add(f.getPath().getName().replaceFirst("\\.json$", ""));
    }
    for (FileStatus f : fs.listStatus(output)) {
      if (f.getPath().getName().startsWith("_staging-")) fs.delete(f.getPath(), true);
    }
    for (String dataset : List.of(SCORES, REJECTS)) {
      Path dir = new Path(output, dataset);
      if (!fs.exists(dir)) continue;
      for (FileStatus f : fs.listStatus(dir)) {
        String n = f.getPath().getName();
        int cut = n.indexOf("-part-");
        if (cut < 0 || !committed.contains(n.substring(0, cut))) fs.delete(f.getPath(), true);
      }
    }
  }

  private static Set<String> doneVideos(SparkSession spark, FileSystem fs, Path output) throws IOException {
    Set<String> done = new HashSet<>();
    for (String dataset : List.of(SCORES, REJECTS)) {
      Path dir = new Path(output, dataset);
      if (!fs.exists(dir) || fs.listStatus(dir).length == 0) continue;
      for (Row r : spark.read().parquet(dir.toString()).select("video").distinct().collectAsList()) done.add(r.getString(0));
    }
    return done;
  }

  /** Every file under {@code input} (recursively) whose name ends in one of the extensions, sorted. */
  static List<String> listVideos(String input, List<String> extensions, Configuration conf) throws IOException {
    Path root = new Path(input);
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) throw new IOException(input + ": no such folder or prefix");
    List<String> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
    while (files.hasNext()) {
      LocatedFileStatus f = files.next();
      String n = f.getPath().getName().toLowerCase(Locale.ROOT);
      if (n.startsWith(".") || n.startsWith("_")) continue;
      for (String e : extensions) {
        if (n.endsWith("." + e.toLowerCase(Locale.ROOT))) {
          out.add(f.getPath().toString());
          break;
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** All committed rows, sorted by video and segment, as one CSV (labels joined by ';') or JSON Lines file. */
  private static void export(SparkSession spark, FileSystem fs, Path output, String format) throws IOException {
    Path scores = new Path(output, SCORES);
    Path target = new Path(output, EXPORT);
    if (!fs.exists(scores) || fs.listStatus(scores).length == 0) return;
    Dataset<Row> all = spark.read().parquet(scores.toString()).orderBy("video", "segment_index");
    Path staged = new Path(output, "_staging-export-" + UUID.randomUUID());
    if (format.equals("csv")) {
      all.withColumn("labels", functions.concat_ws(";", functions.col("labels"))).coalesce(1).write()
          .option("header", true).csv(staged.toString());
    } else {
      all.coalesce(1).write().json(staged.toString());
    }
    fs.delete(target, true);
    if (!fs.rename(staged, target)) throw new IOException("cannot move " + staged + " to " + target);
  }

  private static void writeManifest(FileSystem fs, Path output, ModelManifest manifest, String modelLocation,
                                    String fingerprint, Result r) throws IOException {
    JsonObject m = new JsonObject();
    m.addProperty("model", modelLocation);
    m.addProperty("model_id", manifest.modelId());
    m.addProperty("model_version", manifest.codeVersion());
    m.addProperty(MODEL_FINGERPRINT, fingerprint);
    m.add("classes", new com.google.gson.Gson().toJsonTree(manifest.classes()));
    m.add("thresholds", new com.google.gson.Gson().toJsonTree(manifest.thresholds()));
    JsonObject last = new JsonObject();
    last.addProperty("videos", r.videos());
    last.addProperty("already_done", r.alreadyDone());
    last.addProperty("scored_videos", r.scoredVideos());
    last.addProperty("rejected_videos", r.rejectedVideos());
    last.addProperty("segments", r.segments());
    last.addProperty("rows", r.rows());
    last.addProperty("segment_rejects", r.segmentRejects());
    last.addProperty("line_rejects", r.lineRejects());
    last.addProperty("balanced", r.balanced());
    m.add("last_run", last);
    write(fs, new Path(output, "_manifest.json"), new GsonBuilder().setPrettyPrinting().create().toJson(m));
  }

  private static void write(FileSystem fs, Path file, String text) throws IOException {
    try (OutputStream o = fs.create(file, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
