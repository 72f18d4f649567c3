package ai.mesm.jobs;

import ai.mesm.data.DatasetKind;
import ai.mesm.io.HadoopFiles;
import ai.mesm.io.LazySparkSession;
import ai.mesm.stage.TopPSweep;
import java.util.Set;

/** The paper's Figure 5: MESM trained per top-p value, metric and GFLOPs against p beside FE2E. */
public final class TopPSweepJob {
  static final String USAGE = "Trains MESM once per value of sweep.top-p (default 0.1 ... 1.0) on model.modalities of\n"
      + "the split under mesm.paths.split, plus an FE2E reference (sweep.fe2e-reference), evaluates each like\n"
      + "EvaluateJob and writes mesm.paths.reports/<sweep.name>/top_p_sweep.{csv,png} and results.{md,csv,json}.\n"
      + "Models go to mesm.paths.models/<sweep.name>-p<p>; a rerun reuses those trained with the same settings.";

  private TopPSweepJob() {}

  public static void main(String[] args) {
    JobMain.main("TopPSweepJob", USAGE, args, Set.of(), (config, arguments) -> {
      TopPSweep.Result r;
      try (LazySparkSession spark = new LazySparkSession(config)) {
        r = TopPSweep.run(config, HadoopFiles.hadoopConf(config), System.out::println, spark);
      }
      System.out.printf("%nTop-p sweep on %s test (thresholds tuned on validation):%n%s", DatasetKind.of(config).configName(),
          r.table().markdown());
      System.out.println("reports -> " + r.reportsLocation() + " (" + TopPSweep.CSV + ", " + TopPSweep.PNG + ")");
    });
  }
}
