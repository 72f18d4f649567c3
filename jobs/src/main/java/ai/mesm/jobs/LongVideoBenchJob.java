package ai.mesm.jobs;

import ai.mesm.bench.LongVideoBench;
import ai.mesm.io.SparkSessions;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/** make bench: peak heap of ingest and scoring on 20-minute videos, next to its bound. */
public final class LongVideoBenchJob {
  private LongVideoBenchJob() {}

  public static void main(String[] args) {
    JobMain.main("LongVideoBenchJob", "Generates a 1-minute and a 20-minute IEMOCAP dialog and CMU-MOSEI video under\n"
        + "mesm.corpus.output, ingests the dialogs and scores the videos (an initialised FE2E model of the configured\n"
        + "sizes, segments from an .srt), and prints each stage's peak heap next to its bound.", args, Set.of(),
        (config, arguments) -> {
          SparkSession spark = SparkSessions.create(config);
          try {
            LongVideoBench.run(spark, config).forEach(System.out::println);
          } finally {
            spark.stop();
          }
        });
  }
}
