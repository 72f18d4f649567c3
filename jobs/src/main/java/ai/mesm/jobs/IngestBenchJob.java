package ai.mesm.jobs;

import ai.mesm.data.DatasetKind;
import ai.mesm.ingest.DecodeBaseline;
import ai.mesm.ingest.IngestReport;
import ai.mesm.ingest.ReleaseScan;
import ai.mesm.ingest.ReleaseScanner;
import ai.mesm.io.PathSettings;
import ai.mesm.io.SparkSessions;
import ai.mesm.stage.IngestRunner;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * make bench: ingest throughput next to a bare FFmpeg decode of the same files, same machine,
 * same run, as a ratio. The decode runs on as many threads as Spark has cores.
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
            ReleaseScan scan = new ReleaseScanner(spark.sparkContext().hadoopConfiguration(),
                ai.mesm.media.MediaSettings.from(config).maxTextFileBytes())
                .scan(dataset, PathSettings.of(config).input());
            long t0 = System.nanoTime();
            double decoded = DecodeBaseline.decodeAll(scan, spark.sparkContext().hadoopConfiguration(), cores);
            double decodeSeconds = (System.nanoTime() - t0) / 1e9;
            IngestReport report = IngestRunner.run(spark, config);
            long utterances = report.stage("utterance").accepted();
            double ingestRate = report.mediaSeconds() / report.seconds();
            double decodeRate = decoded / decodeSeconds;
            System.out.printf("%s ingest      : %6.1f s  %7.2f utterances/s  %7.1f media-seconds/s%n",
                dataset.configName(), report.seconds(), utterances / report.seconds(), ingestRate);
            System.out.printf("%s bare decode : %6.1f s  %7s                %7.1f media-seconds/s (%d threads)%n",
                dataset.configName(), decodeSeconds, "", decodeRate, cores);
            System.out.printf("%s ratio ingest/bare-decode = %.3f%n", dataset.configName(), ingestRate / decodeRate);
          } finally {
            spark.stop();
          }
        });
  }
}
