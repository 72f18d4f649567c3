package ai.mesm.report;

import ai.mesm.eval.ClassMetrics;
import ai.mesm.eval.Evaluation;
import ai.mesm.eval.Predictions;
import ai.mesm.model.Modality;
import ai.mesm.model.SiteActivity;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Results in the layout of the paper's Tables 3–4: one row per model, per emotion the headline
 * accuracy (Acc or WAcc) and F1 in percent, then the average, then the feature-extraction cost in
 * GFLOPs when known. Also as CSV (long format) and JSON with every metric.
 */
public final class ResultsTable {
  /**
   * A model's row: its name (e.g. "FE2E", "MESM (p=0.7)"), evaluation, GFLOPs per utterance (NaN if
   * unknown) and, for MESM, the active fraction of each sparse block.
   */
  public record Entry(String model, Evaluation evaluation, double gflops, SiteActivity activity) {}

  /** The machine-readable file of {@link #stage}, read back by {@link #fromJson}. */
  public static final String JSON = "results.json";

  private final List<Entry> entries = new ArrayList<>();

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** A row with the cost measured on the same predictions the evaluation was computed from. */
  public ResultsTable add(String model, Evaluation evaluation, Predictions measured) {
    return add(model, evaluation, measured.meanGflops(), measured.activity());
  }

  public ResultsTable add(String model, Evaluation evaluation, double gflops) {
    return add(model, evaluation, gflops, SiteActivity.none());
  }

  public ResultsTable add(String model, Evaluation evaluation, double gflops, SiteActivity activity) {
    if (!entries.isEmpty() && entries.get(0).evaluation().dataset() != evaluation.dataset()) {
      throw new IllegalArgumentException("one table holds one dataset");
    }
    entries.add(new Entry(model, evaluation, gflops, activity));
    return this;
  }

  /** Writes results.md, results.csv and results.json into a staged output folder. */
  public void stage(ai.mesm.io.AtomicOutput out) throws java.io.IOException {
    out.writeStaged("results.md", markdown());
    out.writeStaged("results.csv", csv());
    out.writeStaged(JSON, json());
  }

  public String markdown() {
    if (entries.isEmpty()) return "";
    Evaluation first = entries.get(0).evaluation();
    String acc = first.headlineName();
    StringBuilder head = new StringBuilder("| Model |");
    StringBuilder sub = new StringBuilder("|---|");
    classColumns(first, head, sub);
    boolean sparse = entries.stream().anyMatch(e -> !e.activity().isEmpty());
    head.append(" Average ").append(acc).append(" | Average F1 | GFLOPs |").append(sparse ? " Active sites per block |" : "");
    sub.append("---:|---:|---:|").append(sparse ? "---|" : "");
    StringBuilder sb = new StringBuilder(head).append('\n').append(sub).append('\n');
    for (Entry e : entries) {
      sb.append("| ").append(e.model()).append(" |");
      for (ClassMetrics c : e.evaluation().classes()) {
        sb.append(pct(e.evaluation().headline(c))).append(" |").append(pct(c.f1())).append(" |");
      }
      ClassMetrics a = e.evaluation().average();
      sb.append(pct(e.evaluation().headline(a))).append(" |").append(pct(a.f1())).append(" | ")
          .append(Double.isNaN(e.gflops()) ? "–" : String.format(Locale.ROOT, "%.2f", e.gflops())).append(" |");
      if (sparse) sb.append(' ').append(e.activity().summary()).append(" |");
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Per class of the dataset, the headline metric's and F1's column headings and alignment: "| ang Acc | ang F1 |". */
  static void classColumns(Evaluation first, StringBuilder head, StringBuilder rule) {
    for (ClassMetrics c : first.classes()) {
      head.append(' ').append(c.label()).append(' ').append(first.headlineName()).append(" | ").append(c.label())
          .append(" F1 |");
      rule.append("---:|---:|");
    }
  }

  public String csv() {
    StringBuilder sb = new StringBuilder("model,label,threshold,accuracy,weighted_accuracy,f1,precision,recall,roc_auc,"
        + "positives,total,gflops,active_audio,active_visual\n");
    for (Entry e : entries) {
      List<ClassMetrics> rows = new ArrayList<>(e.evaluation().classes());
      rows.add(e.evaluation().average());
      for (ClassMetrics c : rows) {
        sb.append(String.format(Locale.ROOT, "%s,%s,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%s,%d,%d,%s,%s,%s%n", quote(e.model()),
            c.label(), num(c.threshold()), c.accuracy(), c.weightedAccuracy(), c.f1(), c.precision(), c.recall(),
            num(c.auc()), c.positives(), c.total(), num(e.gflops()), e.activity().fractionsCsv(Modality.AUDIO),
            e.activity().fractionsCsv(Modality.VISUAL)));
      }
    }
    return sb.toString();
  }

  public String json() {
    JsonArray models = new JsonArray();
    for (Entry e : entries) {
      JsonObject m = new JsonObject();
      m.addProperty("model", e.model());
      m.addProperty("dataset", e.evaluation().dataset().configName());
      m.addProperty("headline_metric", e.evaluation().headlineName());
      if (!Double.isNaN(e.gflops())) m.addProperty("gflops", e.gflops());
      if (!e.activity().isEmpty()) {
        JsonObject active = new JsonObject();
        e.activity().fractions().forEach((modality, f) -> {
          JsonArray blocks = new JsonArray();
          for (double v : f) blocks.add(v);
          active.add(modality.inputName(), blocks);
        });
        m.add("active_fraction_per_block", active);
      }
      JsonArray classes = new JsonArray();
      List<ClassMetrics> rows = new ArrayList<>(e.evaluation().classes());
      rows.add(e.evaluation().average());
      for (ClassMetrics c : rows) {
        JsonObject o = new JsonObject();
        o.addProperty("label", c.label());
        if (!Double.isNaN(c.threshold())) o.addProperty("threshold", c.threshold());
        o.addProperty("accuracy", c.accuracy());
        o.addProperty("weighted_accuracy", c.weightedAccuracy());
        o.addProperty("f1", c.f1());
        o.addProperty("precision", c.precision());
        o.addProperty("recall", c.recall());
        if (!Double.isNaN(c.auc())) o.addProperty("roc_auc", c.auc());
        o.addProperty("positives", c.positives());
        o.addProperty("total", c.total());
        classes.add(o);
      }
      m.add("classes", classes);
      models.add(m);
    }
    return new GsonBuilder().setPrettyPrinting().create().toJson(models);
  }

  /** The rows of a results.json written by {@link #json}, every metric as written. */
  public static List<Entry> fromJson(String json) {
    List<Entry> out = new ArrayList<>();
    for (com.google.gson.JsonElement el : com.google.gson.JsonParser.parseString(json).getAsJsonArray()) {
      JsonObject m = el.getAsJsonObject();
      ai.mesm.data.DatasetKind dataset = ai.mesm.data.DatasetKind.valueOf(
          m.get("dataset").getAsString().toUpperCase(Locale.ROOT));
      List<ClassMetrics> rows = new ArrayList<>();
      for (com.google.gson.JsonElement c : m.getAsJsonArray("classes")) {
        JsonObject o = c.getAsJsonObject();
        rows.add(new ClassMetrics(o.get("label").getAsString(), number(o, "threshold"), o.get("accuracy").getAsDouble(),
            o.get("weighted_accuracy").getAsDouble(), o.get("f1").getAsDouble(), o.get("precision").getAsDouble(),
            o.get("recall").getAsDouble(), number(o, "roc_auc"), o.get("positives").getAsLong(), o.get("total").getAsLong()));
      }
      Evaluation evaluation = new Evaluation(dataset, List.copyOf(rows.subList(0, rows.size() - 1)), rows.get(rows.size() - 1));
      java.util.Map<Modality, double[]> fractions = new java.util.EnumMap<>(Modality.class);
      if (m.has("active_fraction_per_block")) {
        m.getAsJsonObject("active_fraction_per_block").entrySet().forEach(e -> {
          JsonArray blocks = e.getValue().getAsJsonArray();
          double[] f = new double[blocks.size()];
          for (int b = 0; b < f.length; b++) f[b] = blocks.get(b).getAsDouble();
          fractions.put(Modality.fromInputName(e.getKey()), f);
        });
      }
      out.add(new Entry(m.get("model").getAsString(), evaluation, number(m, "gflops"), SiteActivity.ofFractions(fractions)));
    }
    return out;
  }

  private static double number(JsonObject o, String key) {
    return o.has(key) ? o.get(key).getAsDouble() : Double.NaN;
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, " %.1f", 100 * v);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
