package ai.mesm.bench;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelManifest;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.text.WordPieceTokenizer;
import ai.mesm.model.text.WordPieceTrainer;
import ai.mesm.ingest.DecodeBaseline;
import ai.mesm.score.VideoScorer;
import ai.mesm.score.SegmentSource;
import ai.mesm.stage.ScoreRunner;
import ai.mesm.stage.TrainRunner;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * make bench: ScoreJob's throughput on the CMU-MOSEI videos of a generated corpus, segments from
 * their transcripts, for FE2E and MESM (p = 0.5) side by side in one run. The models are
 * initialised, not trained (throughput does not depend on the weights), at the configured sizes.
 */
public final class ScoreThroughput {
  private ScoreThroughput() {}

  /**
   * One model's run: what it scored, how fast, and where its task time went, next to a bare FFmpeg
   * decode of the same videos on as many threads ({@code decodeRate} media-seconds/s, {@code cores}).
   */
  public record Line(String label, ScoreRunner.Result result, double decodeRate, int cores) {
    /** Media-seconds per second of the media steps alone, spread over the cores as the bare decode is. */
    public double mediaPartRate() {
      return result.mediaSeconds() / (StepSplit.mediaSeconds(result.taskSecondsByStep()) / cores);
    }

    public String render() {
      ScoreRunner.Result r = result;
      double rate = r.mediaSeconds() / r.seconds();
      return String.format(Locale.ROOT, "%-22s %4d videos, %5d segments, %7.1f media-s in %6.1f s: %6.2f segments/s, "
              + "%6.2f media-seconds/s (ratio to the bare decode %.3f); media part %.1f media-seconds/s (ratio %.3f)%n"
              + "%-22s   task time by step: %s%n%-22s   after the media pass: Parquet writes %.2f s", label, r.scoredVideos(), r.rows(), r.mediaSeconds(), r.seconds(),
          r.rows() / r.seconds(), rate, rate / decodeRate, mediaPartRate(), mediaPartRate() / decodeRate, "",
          StepSplit.render(r.taskSecondsByStep(), VideoScorer.VIDEO_STEP,
              List.of(VideoScorer.BATCH_STEP, VideoScorer.MODEL_STEP)), "", r.writeSeconds());
    }
  }

  /** The bare decode line of {@link #run}'s videos. */
  public record Decode(double mediaSeconds, double seconds, int threads) {
    public String render() {
      return String.format(Locale.ROOT, "%-22s %7.1f media-s in %6.1f s: %6.2f media-seconds/s (%d threads)",
          "bare decode", mediaSeconds, seconds, mediaSeconds / seconds, threads);
    }
  }

  /** The bare decode of the videos, then FE2E and MESM scoring them, then FE2E with the exact search and with Haar. */
  public record Report(Decode decode, List<Line> lines) {}

  public static Report run(SparkSession spark, MesmConfig config, String corpus, String work) throws Exception {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String videos = new Path(corpus, "CMU_MOSEI/Videos/Full/Combined").toString();
    String transcripts = new Path(corpus, "CMU_MOSEI/Transcript/Segmented/Combined").toString();
    WordPieceTokenizer tokenizer = WordPieceTrainer.train(texts(transcripts, hadoop,
        MediaSettings.from(config).maxTextFileBytes()), 2000, 1);
    int cores = spark.sparkContext().defaultParallelism();
    List<String> files = Arrays.stream(mp4s(videos, hadoop)).map(f -> f.getPath().toString()).toList();
    long t0 = System.nanoTime();
    double decoded = DecodeBaseline.decodeFiles(files, hadoop, cores, MediaSettings.from(config).decodeThreads());
    Decode decode = new Decode(decoded, (System.nanoTime() - t0) / 1e9, cores);
    List<Line> out = new ArrayList<>();
    double decodeRate = decode.mediaSeconds() / decode.seconds();
    String fe2eLabel = null;
    String fe2eLocation = null;
    for (String type : List.of("fe2e", "mesm")) {
      MesmConfig c = config.with(Map.of("model.type", type, "model.mesm.top-p", "0.5", "dataset", "mosei"));
      String location = new Path(work, "models/bench-" + type).toString();
      ModelSpec spec = saveInitialisedModel(c, tokenizer, location, hadoop);
      // A first video alone warms the JVM and native code up, so that neither model pays for it in its number.
      String first = firstVideo(videos, hadoop);
      ScoreRunner.run(spark, c.with(Map.of("score.input", first, "score.segments", transcripts, "score.model", location,
          "score.mode", "overwrite", "paths.scores", new Path(work, "warm-up").toString())), s -> {});
      out.add(new Line(TrainRunner.label(spec), scoreAll(spark, c, videos, transcripts, location, work), decodeRate,
          cores));
      if (type.equals("fe2e")) {
        fe2eLabel = TrainRunner.label(spec);
        fe2eLocation = location;
      }
    }
    // The FE2E model again with the exact face search (every sample searched in full, the reference's
    // behaviour) and with the Haar detector: what the tracked search and MTCNN save in scoring, as
    // IngestBenchJob shows them for ingest.
    for (Map.Entry<String, Map<String, String>> variant : List.of(
        Map.entry("exact search", Map.of("media.face.search", "exact")),
        Map.entry("Haar", Map.of("media.face.detector", "opencv")))) {
      MesmConfig c = config.with(Map.of("model.type", "fe2e", "dataset", "mosei")).with(variant.getValue());
      out.add(new Line(fe2eLabel + ", " + variant.getKey(), scoreAll(spark, c, videos, transcripts, fe2eLocation, work),
          decodeRate, cores));
    }
    return new Report(decode, out);
  }

  /** Every video of the folder scored with the model at {@code model}, from the start. */
  private static ScoreRunner.Result scoreAll(SparkSession spark, MesmConfig c, String videos, String transcripts,
                                             String model, String work) throws IOException {
    return ScoreRunner.run(spark, c.with(Map.of("score.input", videos, "score.segments", transcripts, "score.model",
        model, "score.mode", "overwrite", "paths.scores", new Path(work, "scores").toString())), s -> {});
  }

  /**
   * A T+A+V CMU-MOSEI model of the configured type and sizes, initialised, not trained (speed and
   * memory do not depend on the weights), saved at {@code location} under the id "bench-&lt;type&gt;".
   */
  public static ModelSpec saveInitialisedModel(MesmConfig c, WordPieceTokenizer tokenizer, String location,
                                               Configuration hadoop) throws IOException {
    double[] ones = new double[6];
    Arrays.fill(ones, 1);
    ModelSpec spec = ModelSettings.spec(c, List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), DatasetKind.MOSEI,
        tokenizer, ones);
    VisualNormalisation faces = VisualNormalisation.from(c);
    float[] mean = faces.mean();
    float[] std = faces.std();
    double[] thresholds = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    ModelArtifact.save(EmotionModel.create(spec, tokenizer, mean, std), new ModelManifest(ModelManifest.FORMAT,
        "bench-" + spec.type(), "mosei", DatasetKind.MOSEI.classes(), spec, thresholds, mean, std, "bench", "none",
        Instant.now().toString(), new JsonObject()), location, hadoop);
    return spec;
  }

  private static String firstVideo(String videos, Configuration conf) throws IOException {
    // The largest: never the corpus's deliberately truncated video.
    return Arrays.stream(mp4s(videos, conf)).max(java.util.Comparator.comparingLong(FileStatus::getLen)).orElseThrow()
        .getPath().toString();
  }

  private static FileStatus[] mp4s(String videos, Configuration conf) throws IOException {
    Path dir = new Path(videos);
    FileStatus[] files = dir.getFileSystem(conf).listStatus(dir, p -> p.getName().endsWith(".mp4"));
    if (files.length == 0) throw new IOException(videos + ": no .mp4 videos (generate the corpus with the mosei layout)");
    return files;
  }

  private static List<String> texts(String transcripts, Configuration conf, long maxBytes) throws IOException {
    Path dir = new Path(transcripts);
    List<String> out = new ArrayList<>();
    for (FileStatus f : dir.getFileSystem(conf).listStatus(dir)) {
      SegmentSource.read(new SegmentSource.Found(SegmentSource.MOSEI, f.getPath().toString()), conf, maxBytes).items()
          .forEach(s -> out.add(s.text()));
    }
    return out;
  }
}
