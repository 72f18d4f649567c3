package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.InvalidConfigException;
import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.OutputGuard;
import ai.mesm.io.PathSettings;
import ai.mesm.io.Provenance;
import ai.mesm.io.Sha256;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.report.ReproductionReport;
import ai.mesm.report.ResultsTable;
import ai.mesm.report.SweepPoint;
import ai.mesm.report.TopPSweepChart;
import ai.mesm.stage.ReproducePlan.Experiment;
import ai.mesm.train.TrainingSettings;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The reproduce stage: the paper's experiment set ({@link ReproducePlan}) on each configured
 * dataset, every run trained, continued or reused by {@link TrainedRun}, then one report folder:
 * report.md (Tables 3–5 in the paper's layout with the paper's numbers, the sweep, the attention
 * modes, the runs), per dataset the sweep plot and CSV and a per-class CSV of every run, and
 * runs.json with each run's provenance.
 */
public final class ReproduceRunner {
  public static final String FOLDER = "reproduce";
  public static final String REPORT = "report.md";
  public static final String RUNS = "runs.json";

  private ReproduceRunner() {}

  /** One dataset of the set: its settings (mesm.dataset set to it) and its runs. */
  public record DatasetPlan(MesmConfig config, ReproducePlan plan) {}

  public record Result(String reportLocation, String markdown, Map<DatasetKind, Map<String, TrainedRun.Result>> runs) {}

  /**
   * @param base the configuration as given (reproduce.* and the report's location are read from it)
   * @param perDataset the configuration of each dataset of reproduce.datasets, in that order (base when empty)
   */
  public static List<DatasetPlan> plan(MesmConfig base, List<MesmConfig> perDataset) {
    ReproduceSettings settings = ReproduceSettings.of(base);
    List<DatasetPlan> plans = new ArrayList<>();
    Map<String, DatasetKind> splits = new LinkedHashMap<>();
    for (MesmConfig c : perDataset) {
      DatasetKind dataset = DatasetKind.of(c);
      PathSettings paths = PathSettings.of(c);
      DatasetKind same = splits.put(paths.split(), dataset);
      if (same != null) {
        throw new InvalidConfigException(PATHS_SPLIT, "is " + paths.split() + " for both " + same.configName() + " and "
            + dataset.configName() + ": name ${mesm.dataset} in paths.* so that each dataset has its folders "
            + "(conf/reproduce-small.conf does)");
      }
      plans.add(new DatasetPlan(c, ReproducePlan.of(dataset, settings, SweepSettings.of(c).topP(),
          ModelSettings.attentionGradient(c))));
    }
    return plans;
  }

  /** The report folder: reproduce.report, else paths.reports/reproduce. */
  public static String reportLocation(MesmConfig base) {
    String report = ReproduceSettings.of(base).report();
    return report.isBlank() ? PathSettings.of(base).reportsLocation(FOLDER) : report.strip();
  }

  /** Trains in this JVM: train.mode must not resolve to spark (that needs the job's SparkSession). */
  public static Result run(MesmConfig base, List<DatasetPlan> plans, Configuration hadoop, Consumer<String> log)
      throws IOException {
    return run(base, plans, hadoop, log, TrainRunner::noSpark);
  }

  /** @param spark the job's session, asked for only when train.mode resolves to spark; the job stops it */
  public static Result run(MesmConfig base, List<DatasetPlan> plans, Configuration hadoop, Consumer<String> log,
                           Supplier<SparkSession> spark) throws IOException {
    String reports = reportLocation(base);
    Map<String, String> inputs = new LinkedHashMap<>();
    for (DatasetPlan d : plans) {
      inputs.put(PATHS_SPLIT + " (" + d.plan().dataset().configName() + ")", PathSettings.of(d.config()).split());
      inputs.put(PATHS_MODELS + " (" + d.plan().dataset().configName() + ")", PathSettings.of(d.config()).models());
    }
    OutputGuard.requireApart(hadoop, REPRODUCE_REPORT, reports, inputs);

    Map<DatasetKind, Map<String, TrainedRun.Result>> results = new LinkedHashMap<>();
    Map<DatasetKind, String> fingerprints = new LinkedHashMap<>();
    int total = plans.stream().mapToInt(d -> d.plan().runs().size()).sum();
    int done = 0;
    for (DatasetPlan d : plans) {
      String split = PathSettings.of(d.config()).split();
      String fingerprint = Sha256.hex(AtomicOutput.requireComplete(split, hadoop, "SplitJob"));
      fingerprints.put(d.plan().dataset(), fingerprint);
      Map<String, TrainedRun.Result> byName = new LinkedHashMap<>();
      for (ReproducePlan.Run run : d.plan().runs()) {
        log.accept(String.format(Locale.ROOT, "reproduce: run %d of %d: %s %s (%s)", ++done, total,
            d.plan().dataset().configName(), run.name(), experiments(run)));
        byName.put(run.name(), TrainedRun.trainOrReuse(d.config().with(run.overrides()), fingerprint, true, hadoop, log,
            spark));
      }
      results.put(d.plan().dataset(), byName);
    }

    AtomicOutput out = new AtomicOutput(reports, hadoop);
    String created = Instant.now().toString();
    ReproductionReport report = new ReproductionReport(created, shared(plans.get(0).config(),
        results.values().iterator().next().values().iterator().next().manifest().spec()));
    JsonArray runs = new JsonArray();
    List<ReproductionReport.Run> runRows = new ArrayList<>();
    for (DatasetPlan d : plans) {
      DatasetKind dataset = d.plan().dataset();
      Map<String, TrainedRun.Result> byName = results.get(dataset);
      String name = dataset == DatasetKind.IEMOCAP ? "IEMOCAP" : "CMU-MOSEI";
      report.section(name + ": Table " + (dataset == DatasetKind.IEMOCAP ? "3" : "4"))
          .mainTable(dataset, rows(d.plan().runsOf(Experiment.MAIN), byName));
      List<ReproducePlan.Run> ablation = d.plan().runsOf(Experiment.ABLATION);
      if (!ablation.isEmpty()) {
        report.section(name + ": Table 5 (modality ablation)").ablationTable(dataset, rows(ablation, byName));
      }
      sweepSection(report, out, name, dataset, d.plan().runsOf(Experiment.SWEEP), byName);
      attentionSection(report, name, d.plan().runsOf(Experiment.ATTENTION), byName);
      ResultsTable all = new ResultsTable();
      for (TrainedRun.Result t : byName.values()) all.add(t.label() + " [" + t.run() + "]", t.test(), t.gflops(), t.activity());
      out.writeStaged(dataset.configName() + "_per_class.csv", all.csv());
      for (ReproducePlan.Run r : d.plan().runs()) {
        TrainedRun.Result t = byName.get(r.name());
        int epochs = t.manifest().training() == null ? 0 : t.manifest().training().get("epochs").getAsInt();
        runRows.add(new ReproductionReport.Run(dataset.configName(), r.name(), t.label(), experiments(r), t.reused(), epochs,
            t.modelLocation()));
        runs.add(provenance(dataset, r, t));
      }
    }
    report.section("Runs").runs(runRows);
    out.writeStaged(REPORT, report.markdown());
    out.writeStaged(RUNS, new GsonBuilder().setPrettyPrinting().create().toJson(runs));
    JsonObject manifest = new JsonObject();
    manifest.addProperty("created", created);
    manifest.addProperty("code_version", Provenance.buildVersion());
    JsonObject splits = new JsonObject();
    for (DatasetPlan d : plans) {
      JsonObject s = new JsonObject();
      s.addProperty("location", PathSettings.of(d.config()).split());
      s.addProperty("fingerprint", fingerprints.get(d.plan().dataset()));
      splits.add(d.plan().dataset().configName(), s);
    }
    manifest.add("splits", splits);
    manifest.add("config", JsonParser.parseString(base.canonicalJson()));
    out.publish(manifest.toString());
    return new Result(reports, report.markdown(), results);
  }

  /** Figure 5: the plot and CSV beside report.md, the table in it. */
  private static void sweepSection(ReproductionReport report, AtomicOutput out, String name, DatasetKind dataset,
                                   List<ReproducePlan.Run> sweep, Map<String, TrainedRun.Result> byName) throws IOException {
    if (sweep.isEmpty()) return;
    List<SweepPoint> mesm = new ArrayList<>();
    SweepPoint fe2e = null;
    for (ReproducePlan.Run r : sweep) {
      TrainedRun.Result t = byName.get(r.name());
      SweepPoint p = new SweepPoint(r.name(), t.label(), r.isMesm() ? r.topP() : Double.NaN, t.test(), t.gflops(),
          t.activity(), t.reused());
      if (r.isMesm()) mesm.add(p); else fe2e = p;
    }
    mesm.sort((a, b) -> Double.compare(a.topP(), b.topP()));
    String png = dataset.configName() + "_" + TopPSweep.PNG;
    try (OutputStream o = out.createStaged(png)) {
      o.write(TopPSweepChart.png(name + " T+A+V", mesm, fe2e, mesm.get(0).test().headlineName()));
    }
    out.writeStaged(dataset.configName() + "_" + TopPSweep.CSV, TopPSweep.csv(mesm, fe2e));
    report.section(name + ": Figure 5 (top-p sweep)").sweep(mesm, fe2e, png);
  }

  /** MESM T+A+V per attention-gradient mode, in the results table's layout. */
  private static void attentionSection(ReproductionReport report, String name, List<ReproducePlan.Run> attention,
                                       Map<String, TrainedRun.Result> byName) {
    if (attention.isEmpty()) return;
    report.section(name + ": attention-gradient modes").paragraph("MESM on T+A+V trained with each "
        + "model.mesm.attention-gradient: `reference` is the reference implementation's (its attention never "
        + "trains), `scaled` lets the attention learn (docs/computation.md#mesm).");
    ResultsTable modes = new ResultsTable();
    for (ReproducePlan.Run r : attention) {
      TrainedRun.Result t = byName.get(r.name());
      modes.add(t.label() + " [" + r.attentionGradient() + "]", t.test(), t.gflops(), t.activity());
    }
    report.paragraph(modes.markdown().strip());
  }

  private static List<ReproductionReport.Row> rows(List<ReproducePlan.Run> runs, Map<String, TrainedRun.Result> byName) {
    List<ReproductionReport.Row> rows = new ArrayList<>();
    for (ReproducePlan.Run r : runs) {
      TrainedRun.Result t = byName.get(r.name());
      rows.add(new ReproductionReport.Row(r.type(), RunNameSettings.modalityCode(r.modalities()),
          new ResultsTable.Entry(t.label(), t.test(), t.gflops(), t.activity())));
    }
    return rows;
  }

  static String experiments(ReproducePlan.Run run) {
    return run.experiments().stream().sorted().map(e -> switch (e) {
      case MAIN -> run.dataset() == DatasetKind.IEMOCAP ? "Table 3" : "Table 4";
      case ABLATION -> "Table 5";
      case SWEEP -> "Figure 5";
      case ATTENTION -> "attention modes";
    }).collect(Collectors.joining(", "));
  }

  /** What the runs share, for the report's head: the training settings and the first run's network. */
  private static List<String> shared(MesmConfig c, ModelSpec spec) {
    TrainingSettings t = TrainingSettings.of(c);
    return List.of(
        "CNN channel divisor " + spec.channelDivisor() + ", model dim " + spec.dim() + ", " + spec.layers() + " layer(s)",
        "at most " + t.maxEpochs() + " epochs (patience " + t.patience() + "), batch " + t.batchSize() + ", learning rate "
            + spec.learningRate());
  }

  private static JsonObject provenance(DatasetKind dataset, ReproducePlan.Run r, TrainedRun.Result t) {
    JsonObject o = new JsonObject();
    o.addProperty("dataset", dataset.configName());
    o.addProperty("run", r.name());
    o.addProperty("label", t.label());
    o.addProperty("experiments", experiments(r));
    o.addProperty("model", t.modelLocation());
    o.addProperty("trained_by_this_job", !t.reused());
    o.addProperty("code_version", t.manifest().codeVersion());
    o.addProperty("split_fingerprint", t.manifest().dataFingerprint());
    o.addProperty("created", t.manifest().created());
    if (t.manifest().training() != null) {
      JsonObject training = t.manifest().training();
      for (String k : List.of("epochs", "best_epoch", "stopped_early", "sessions")) {
        if (training.has(k)) o.add(k, training.get(k));
      }
    }
    o.addProperty("test_average_f1", t.test().average().f1());
    o.addProperty("test_average_" + t.test().headlineName().toLowerCase(Locale.ROOT), t.test().headline(t.test().average()));
    o.addProperty("gflops", t.gflops());
    return o;
  }
}
