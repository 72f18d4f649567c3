package ai.mesm.jobs;

import ai.mesm.bench.FaceSearchAgreement;
import ai.mesm.bench.StepSplit;
import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.ingest.DecodeBaseline;
import ai.mesm.ingest.IngestReport;
import ai.mesm.ingest.ReleaseScan;
import ai.mesm.ingest.ReleaseScanner;
import ai.mesm.ingest.SourceSummary;
import ai.mesm.io.PathSettings;
import ai.mesm.io.SparkSessions;
import ai.mesm.stage.IngestRunner;
import ai.mesm.media.MediaSettings;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * make bench: ingest throughput next to a bare FFmpeg decode of the same files, same machine,
 * same run, as a ratio. The decode runs on as many threads as Spark has cores; the configured
 * ingest is measured {@link #ROUNDS} times, each between two decodes and its ratio against their
 * mean, and the median ratio is the figure. Ingest runs after an
 * unmeasured warm-up: with the configured settings (MTCNN, tracked search, native layers by default), with MTCNN's
 * layers on ND4J, with the exact search (every sample searched in full) and with the Haar detector; the tracked run's faces are compared
 * with the exact run's ({@link FaceSearchAgreement}).
 */
public final class IngestBenchJob {
  private IngestBenchJob() {}

  public static void main(String[] args) {
    JobMain.main("IngestBenchJob", "Benchmarks IngestJob against a bare FFmpeg decode of the same release.", args,
        Set.of(), (config, arguments) -> {
          SparkSession spark = SparkSessions.create(config);
          try {
            int cores = spark.sparkContext().defaultParallelism();
            DatasetKind dataset = DatasetKind.of(config);
            MediaSettings media = MediaSettings.from(config);
            ReleaseScan scan = new ReleaseScanner(spark.sparkContext().hadoopConfiguration(), media.maxTextFileBytes())
                .scan(dataset, PathSettings.of(config).input());
            String name = dataset.configName();
            String tracked = PathSettings.of(config).ingest();
            String base = tracked.replaceAll("/+$", "");
            String exact = base + "-exact";
            String haar = base + "-haar";
            String label = media.effectiveDetector() + ", " + media.faceSearch();
            // The first ingest in a JVM pays the JIT's and Spark's warm-up: run it once unmeasured. Then
            // ROUNDS ingests, each between two bare decodes and its ratio taken against their mean: on a
            // shared VM the decode alone moves by a fifth within minutes, so one pair could be off by the
            // machine's phase; the median of the rounds is the figure.
            IngestRunner.run(spark, config.with(Map.of("paths.ingest", base + "-warm-up")));
            double[] ratios = new double[ROUNDS];
            double decodeBefore = decodeRate(spark, scan, cores, media, name, "before round 1");
            for (int round = 0; round < ROUNDS; round++) {
              double rate = run(spark, config, name, label + ", round " + (round + 1));
              double decodeAfter = decodeRate(spark, scan, cores, media, name, "after round " + (round + 1));
              ratios[round] = rate / ((decodeBefore + decodeAfter) / 2);
              decodeBefore = decodeAfter;
            }
            if (media.effectiveDetector().equals("mtcnn")) {
              // MTCNN's layers on ND4J's operations, the path before the native layers (and where they do not load).
              run(spark, config.with(Map.of("paths.ingest", base + "-nd4j", "media.face.mtcnn.kernels", "nd4j")), name,
                  label + ", nd4j layers");
            }
            run(spark, config.with(Map.of("paths.ingest", exact, "media.face.search", "exact")), name,
                media.effectiveDetector() + ", exact");
            run(spark, config.with(Map.of("paths.ingest", haar, "media.face.detector", "opencv")), name, "opencv");
            System.out.printf("%s ratio ingest (%s)/bare-decode = %.3f (median of %d rounds: %s)%n", name, label,
                median(ratios), ROUNDS, java.util.Arrays.stream(ratios).mapToObj(r -> String.format("%.3f", r))
                    .collect(java.util.stream.Collectors.joining(", ")));
            FaceSearchAgreement a = FaceSearchAgreement.of(spark, tracked, exact);
            System.out.printf("%s faces, tracked vs exact search: same samples with a face %.4f (%d of %d), "
                + "IoU >= 0.9 on %.4f (%d of %d)%n", name, a.sameFoundFraction(), a.sameFound(), a.samples(),
                a.closeBoxFraction(), a.closeBoxes(), a.bothFound());
          } finally {
            spark.stop();
          }
        });
  }

  /** Measured ingests of the configured settings, each between two bare decodes. */
  static final int ROUNDS = 3;

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** A bare decode of the release's videos on {@code cores} threads, its line printed; returns its media-seconds per second. */
  private static double decodeRate(SparkSession spark, ReleaseScan scan, int cores, MediaSettings media, String name,
      String when) throws Exception {
    long t0 = System.nanoTime();
    double decoded = DecodeBaseline.decodeAll(scan, spark.sparkContext().hadoopConfiguration(), cores,
        media.decodeThreads());
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%s bare decode (%s): %6.1f s  %7.1f media-seconds/s (%d threads)%n", name, when, seconds,
        decoded / seconds, cores);
    return decoded / seconds;
  }

  /** One ingest, its line printed; returns its media-seconds per second. */
  private static double run(SparkSession spark, MesmConfig config, String name, String label)
      throws java.io.IOException {
    IngestReport report = IngestRunner.run(spark, config);
    long utterances = report.stage("utterance").accepted();
    double rate = report.mediaSeconds() / report.seconds();
    System.out.printf("%s ingest (%s): %6.1f s  %7.2f utterances/s  %7.1f media-seconds/s%n", name, label,
        report.seconds(), utterances / report.seconds(), rate);
    System.out.printf("%s   task time by step: %s%n", name, StepSplit.render(report.taskSecondsByStep(),
        SourceSummary.SOURCE_STEP, java.util.List.of()));
    System.out.printf("%s   after the media pass: Parquet writes (utterances and rejects side by side) %.2f s of the job's %.1f s%n",
        name, report.writeSeconds(), report.seconds());
    return rate;
  }
}
