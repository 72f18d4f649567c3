package ai.mesm.jobs;

import ai.mesm.data.DatasetKind;
import ai.mesm.io.PathSettings;
import ai.mesm.io.SparkSessions;
import ai.mesm.stage.SplitRunner;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Ingest output (mesm.paths.ingest) → the train/valid/test split under mesm.paths.split, with the
 * statistics of the paper's Tables 1–2 and the class weights of the loss.
 */
public final class SplitJob {
  static final String USAGE = "Splits the ingested utterances of mesm.dataset: IEMOCAP 70/10/20 from mesm.seed\n"
      + "(or the reference's id lists with split.iemocap-mode=files), CMU-MOSEI by the fold files in split.files.";

  private SplitJob() {}

  public static void main(String[] args) {
    JobMain.main("SplitJob", USAGE, args, Set.of(), (config, arguments) -> {
      SparkSession spark = SparkSessions.create(config);
      try {
        SplitRunner.Result result = SplitRunner.run(spark, config);
        System.out.printf("Split of %s (%s) -> %s%n", DatasetKind.of(config).configName(), result.mode(),
            PathSettings.of(config).split());
        System.out.print(result.statistics().render());
        System.out.println("  rejects: " + (result.rejectsByReason().isEmpty() ? "none" : result.rejectsByReason()));
      } finally {
        spark.stop();
      }
    });
  }
}
