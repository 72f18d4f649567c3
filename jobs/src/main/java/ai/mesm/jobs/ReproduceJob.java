package ai.mesm.jobs;

import ai.mesm.config.ConfigKeys;
import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.io.HadoopFiles;
import ai.mesm.io.LazySparkSession;
import ai.mesm.stage.ReproduceEstimate;
import ai.mesm.stage.ReproduceRunner;
import ai.mesm.stage.ReproduceSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The paper's experiment set (Tables 3–5, Figure 5, both attention modes) as one resumable job with one report. */
public final class ReproduceJob {
  static final String USAGE = "Trains and evaluates the paper's experiment set on the split of each dataset of\n"
      + "reproduce.datasets (default: mesm.dataset): FE2E and MESM on T+A+V (Tables 3-4), the modality ablation\n"
      + "(Table 5), MESM at every sweep.top-p (Figure 5) and with each attention-gradient mode. A run already\n"
      + "trained with the same settings on the same split is reused, an interrupted one continues from its\n"
      + "checkpoints. Writes reproduce.report (default mesm.paths.reports/reproduce): report.md, the sweep plots,\n"
      + "per-class CSVs and runs.json. --plan prints the runs, their status and estimated cost, and trains nothing.";
  static final String PLAN = "plan";

  private ReproduceJob() {}

  public static void main(String[] args) {
    JobMain.main("ReproduceJob", USAGE, args, Set.of(PLAN), (config, arguments) -> {
      List<MesmConfig> perDataset = new ArrayList<>();
      List<String> datasets = ReproduceSettings.of(config).datasets().stream().map(d -> d.configName()).toList();
      if (datasets.isEmpty()) perDataset.add(config);
      for (String d : datasets) {
        // Loaded again rather than overridden, so that paths naming ${mesm.dataset} resolve to this dataset's.
        Map<String, String> overrides = new HashMap<>(arguments.overrides());
        overrides.keySet().removeIf(k -> k.equals(ConfigKeys.DATASET) || k.equals("dataset"));
        overrides.put(ConfigKeys.DATASET, d);
        perDataset.add(ConfigLoader.load(arguments.configFiles(), overrides));
      }
      List<ReproduceRunner.DatasetPlan> plans = ReproduceRunner.plan(config, perDataset);
      var hadoop = HadoopFiles.hadoopConf(config);
      if (arguments.has(PLAN)) {
        System.out.print(ReproduceEstimate.table(plans, hadoop));
        System.out.println("report -> " + ReproduceRunner.reportLocation(config) + " (nothing trained: --plan)");
        return;
      }
      ReproduceRunner.Result r;
      try (LazySparkSession spark = new LazySparkSession(config)) {
        r = ReproduceRunner.run(config, plans, hadoop, System.out::println, spark);
      }
      System.out.println();
      System.out.print(r.markdown());
      System.out.println("report -> " + r.reportLocation() + " (" + ReproduceRunner.REPORT + ", " + ReproduceRunner.RUNS
          + ", <dataset>_top_p_sweep.png, <dataset>_per_class.csv)");
    });
  }
}
