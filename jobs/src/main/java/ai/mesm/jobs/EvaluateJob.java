package ai.mesm.jobs;

import ai.mesm.data.DatasetKind;
import ai.mesm.io.HadoopFiles;
import ai.mesm.stage.EvaluateRunner;
import java.util.Set;

/** Saved models → the paper's results table on the split under mesm.paths.split (docs/computation.md#evaluation). */
public final class EvaluateJob {
  static final String USAGE = "Evaluates the models named in eval.models (run names under mesm.paths.models or\n"
      + "model folder URIs; default: the configured run) on the test split with thresholds tuned on the\n"
      + "validation split, and prints one table in the paper's Table 3/4 layout. Writes\n"
      + "mesm.paths.reports/evaluation/results.{md,csv,json} and each model's test predictions.";

  private EvaluateJob() {}

  public static void main(String[] args) {
    JobMain.main("EvaluateJob", USAGE, args, Set.of(), (config, arguments) -> {
      EvaluateRunner.Result r = EvaluateRunner.run(config, HadoopFiles.hadoopConf(config), System.out::println);
      System.out.printf("%nResults on %s test (thresholds tuned on validation):%n%s", DatasetKind.of(config).configName(),
          r.table().markdown());
      System.out.println("reports -> " + r.reportsLocation());
    });
  }
}
