package ai.mesm.jobs;

import ai.mesm.ingest.IngestReport;
import ai.mesm.io.SparkSessions;
import ai.mesm.stage.IngestRunner;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Raw IEMOCAP / CMU-MOSEI release (mesm.paths.input, any Hadoop URI) → aligned utterances and
 * rejects as Parquet under mesm.paths.ingest, with the accounting printed at the end.
 */
public final class IngestJob {
  static final String USAGE = "Reads the raw release of mesm.dataset under mesm.paths.input and writes\n"
      + "mesm.paths.ingest/{utterances,rejects} (Parquet) and _manifest.json (provenance, accounting).";

  private IngestJob() {}

  public static void main(String[] args) {
    JobMain.main("IngestJob", USAGE, args, Set.of(), (config, arguments) -> {
      SparkSession spark = SparkSessions.create(config);
      try {
        IngestReport report = IngestRunner.run(spark, config);
        System.out.print(report.render());
        if (!report.balanced()) throw new IllegalStateException("the accounting does not add up (a bug): see above");
      } finally {
        spark.stop();
      }
    });
  }
}
