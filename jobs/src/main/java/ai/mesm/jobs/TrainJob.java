package ai.mesm.jobs;

import ai.mesm.io.HadoopFiles;
import ai.mesm.io.LazySparkSession;
import ai.mesm.stage.TrainRunner;
import java.util.Set;

/**
 * Split output (mesm.paths.split) → a trained model under mesm.paths.models/&lt;run&gt; and its reports
 * (results on test with validation thresholds, learning curves) under mesm.paths.reports/&lt;run&gt;.
 * Trains in this JVM or by parameter averaging over the Spark executors (train.mode); --resume
 * continues the run from its latest checkpoint.
 */
public final class TrainJob {
  static final String USAGE = "Trains model.type (fe2e) on model.modalities of the split under mesm.paths.split:\n"
      + "early stopping on the validation average F1, best epoch kept, thresholds tuned on validation,\n"
      + "test scored with them. Writes mesm.paths.models/<run> and mesm.paths.reports/<run>\n"
      + "(run = train.run-name, default <type>-<modalities>, e.g. fe2e-tav).\n"
      + "train.mode: local (this JVM), spark (parameter averaging over the executors; train.spark.*) or auto\n"
      + "(spark unless the master is local). A checkpoint every train.checkpoint-every epochs under\n"
      + "paths.checkpoints/<run>; --resume continues from the latest one with the same settings.";
  static final String RESUME = "resume";

  private TrainJob() {}

  public static void main(String[] args) {
    JobMain.main("TrainJob", USAGE, args, Set.of(RESUME), (config, arguments) -> {
      TrainRunner.Result r;
      try (LazySparkSession spark = new LazySparkSession(config)) {
        r = TrainRunner.run(config, HadoopFiles.hadoopConf(config), System.out::println, arguments.has(RESUME), spark);
      }
      System.out.printf("%nTest results of %s (thresholds tuned on validation; best epoch %d of %d):%n%s",
          r.manifest().modelId(), r.outcome().bestEpoch(), r.outcome().history().size(), r.table().markdown());
      System.out.println("model   -> " + r.modelLocation());
      System.out.println("reports -> " + r.reportsLocation() + " (results.md/csv/json, learning_curves.png)");
    });
  }
}
