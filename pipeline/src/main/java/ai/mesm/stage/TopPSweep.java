package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.Sha256;
import ai.mesm.io.PathSettings;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSettings;
import ai.mesm.report.ResultsTable;
import ai.mesm.report.SweepPoint;
import ai.mesm.report.TopPSweepChart;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The paper's top-p sweep (Figure 5): MESM trained once per value of sweep.top-p with otherwise
 * identical settings, each evaluated like EvaluateJob (thresholds from validation, test scored),
 * plotted with its GFLOPs against p beside an FE2E reference. Every model is an ordinary training
 * run (paths.models/&lt;name&gt;-p&lt;p&gt;), so a rerun reuses those already trained with the same
 * settings on the same split: an interrupted sweep continues instead of starting over.
 */
public final class TopPSweep {
  public static final String CSV = "top_p_sweep.csv";
  public static final String PNG = "top_p_sweep.png";
  static final String NO_REFERENCE = "none";
  static final String TRAIN_REFERENCE = "train";

  private TopPSweep() {}

  /** @param fe2e null when sweep.fe2e-reference = none */
  public record Result(List<SweepPoint> mesm, SweepPoint fe2e, ResultsTable table, String reportsLocation) {}

  /** Trains in this JVM: train.mode must not resolve to spark (that needs the job's SparkSession). */
  public static Result run(MesmConfig config, Configuration hadoop, Consumer<String> log) throws IOException {
    return run(config, hadoop, log, TrainRunner::noSpark);
  }

  /** @param spark the job's session, asked for only when train.mode resolves to spark; the job stops it */
  public static Result run(MesmConfig config, Configuration hadoop, Consumer<String> log, Supplier<SparkSession> spark)
      throws IOException {
    ModelSettings.useConfiguredKernels(config);
    SweepSettings sweep = SweepSettings.of(config);
    // The sweep's runs differ from config only in the keys they override (model type, top-p, run
    // name): where they all write is read here, once.
    PathSettings paths = PathSettings.of(config);
    List<Modality> modalities = ModelSettings.modalities(config);
    String name = reportName(config);
    String splitRoot = paths.split();
    String splitFingerprint = Sha256.hex(AtomicOutput.requireComplete(splitRoot, hadoop, "SplitJob"));
    List<SweepPoint> mesm = new ArrayList<>();
    for (double p : sweep.topP()) {
      MesmConfig run = config.with(Map.of(MODEL_TYPE, "mesm", MESM_TOP_P, SweepPoint.format(p), TRAIN_RUN_NAME, name + "-p" + SweepPoint.format(p)));
      mesm.add(trainedOrReused(run, sweep.reuseTrained(), p, splitFingerprint, hadoop, log, spark));
    }
    mesm.sort((a, b) -> Double.compare(a.topP(), b.topP()));
    SweepPoint fe2e = reference(config, paths, sweep, name, splitFingerprint, hadoop, log, spark);

    ResultsTable table = new ResultsTable();
    if (fe2e != null) table.add(fe2e.label(), fe2e.test(), fe2e.gflops(), fe2e.activity());
    for (SweepPoint p : mesm) table.add(p.label(), p.test(), p.gflops(), p.activity());
    String reports = paths.reportsLocation(name);
    AtomicOutput out = new AtomicOutput(reports, hadoop);
    table.stage(out);
    out.writeStaged(CSV, csv(mesm, fe2e));
    String headline = mesm.get(0).test().headlineName();
    try (OutputStream png = out.createStaged(PNG)) {
      png.write(TopPSweepChart.png(DatasetKind.of(config).configName() + " " + Modality.label(modalities), mesm, fe2e, headline));
    }
    JsonObject manifest = new JsonObject();
    manifest.addProperty("split", splitRoot);
    JsonArray models = new JsonArray();
    for (SweepPoint p : mesm) models.add(paths.modelLocation(p.model()));
    manifest.add("models", models);
    if (fe2e != null) manifest.addProperty("fe2e_reference", paths.modelLocation(fe2e.model()));
    out.publish(manifest.toString());
    return new Result(mesm, fe2e, table, reports);
  }

  /** The sweep's report folder under paths.reports (and its runs' name prefix): sweep.name, else top-p-&lt;modalities&gt;. */
  public static String reportName(MesmConfig config) {
    SweepSettings sweep = SweepSettings.of(config);
    return sweep.name().isBlank() ? "top-p-" + RunNameSettings.modalityCode(ModelSettings.modalities(config)) : sweep.name();
  }

  private static SweepPoint reference(MesmConfig config, PathSettings paths, SweepSettings sweep, String name,
                                      String splitFingerprint, Configuration hadoop, Consumer<String> log,
                                      Supplier<SparkSession> spark) throws IOException {
    String reference = sweep.fe2eReference();
    if (reference.equals(NO_REFERENCE)) return null;
    if (reference.equals(TRAIN_REFERENCE)) {
      MesmConfig run = config.with(Map.of(MODEL_TYPE, "fe2e", TRAIN_RUN_NAME, name + "-fe2e"));
      return trainedOrReused(run, sweep.reuseTrained(), Double.NaN, splitFingerprint, hadoop, log, spark);
    }
    String location = paths.modelLocation(reference);
    TrainedRun.Result r = TrainedRun.evaluated(config, reference, location, hadoop);
    if (!r.manifest().spec().type().equals("fe2e")) {
      throw new IOException(location + ": " + SWEEP_FE2E_REFERENCE + " must be an FE2E model, this one is "
          + r.manifest().spec().type());
    }
    return point(r, Double.NaN);
  }

  private static SweepPoint trainedOrReused(MesmConfig run, boolean reuseTrained, double p, String splitFingerprint,
                                            Configuration hadoop, Consumer<String> log, Supplier<SparkSession> spark)
      throws IOException {
    return point(TrainedRun.trainOrReuse(run, splitFingerprint, reuseTrained, hadoop, log, spark), p);
  }

  static SweepPoint point(TrainedRun.Result r, double p) {
    return new SweepPoint(r.run(), r.label(), p, r.test(), r.gflops(), r.activity(), r.reused());
  }

  static String csv(List<SweepPoint> mesm, SweepPoint fe2e) {
    String headline = mesm.get(0).test().headlineName();
    StringBuilder sb = new StringBuilder("model,top_p,average_" + headline.toLowerCase(Locale.ROOT)
        + ",average_f1,gflops,active_audio,active_visual,reused\n");
    List<SweepPoint> all = new ArrayList<>(mesm);
    if (fe2e != null) all.add(fe2e);
    for (SweepPoint p : all) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%.6f,%.6f,%.6f,%s,%s,%b%n", p.model(),
          Double.isNaN(p.topP()) ? "" : SweepPoint.format(p.topP()), p.test().headline(p.test().average()),
          p.test().average().f1(), p.gflops(), p.activity().fractionsCsv(Modality.AUDIO),
          p.activity().fractionsCsv(Modality.VISUAL), p.reused()));
    }
    return sb.toString();
  }
}
