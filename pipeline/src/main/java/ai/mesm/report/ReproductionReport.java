package ai.mesm.report;

import ai.mesm.data.DatasetKind;
import ai.mesm.eval.ClassMetrics;
import ai.mesm.eval.Evaluation;
import java.util.List;
import java.util.Locale;

/**
 * report.md of the reproduce job: per dataset, the paper's Table 3 or 4 layout with the paper's
 * own rows under ours, Table 5 with the paper's averages beside ours, the top-p sweep (Figure 5)
 * as a plot and a table, the two attention-gradient modes, and every run with where it came from.
 */
public final class ReproductionReport {
  /**
   * One of our models in a table.
   *
   * @param type fe2e or mesm
   * @param modalityCode its modalities as run names spell them ("tav", "ta")
   * @param entry its label, test evaluation, GFLOPs and active sites
   */
  public record Row(String type, String modalityCode, ResultsTable.Entry entry) {}

  /** One training run of the set: where its model is and whether this job trained it. */
  public record Run(String dataset, String name, String label, String experiments, boolean reused, int epochs,
                    String modelLocation) {}

  private final StringBuilder md = new StringBuilder();

  /** @param settings what the runs share, as lines (widths, epochs, learning rate...) */
  public ReproductionReport(String created, List<String> settings) {
    md.append("# Reproduction of MESM (Dai et al., 2021): Tables 3–5 and Figure 5\n\n")
        .append("Generated ").append(created).append(" by the reproduce job. Test-split results, thresholds tuned on ")
        .append("validation; metrics in percent; GFLOPs of feature extraction per test utterance at these runs' CNN widths ")
        .append("(the paper's at full width). Each \"paper\" row is the paper's own number.\n\n");
    for (String s : settings) md.append("- ").append(s).append('\n');
    md.append('\n');
  }

  public ReproductionReport section(String title) {
    md.append("## ").append(title).append("\n\n");
    return this;
  }

  public ReproductionReport paragraph(String text) {
    md.append(text).append("\n\n");
    return this;
  }

  /** The paper's Table 3 (IEMOCAP: Acc) or Table 4 (CMU-MOSEI: WAcc): per class and average, ours then the paper's. */
  public ReproductionReport mainTable(DatasetKind dataset, List<Row> ours) {
    if (ours.isEmpty()) return this;
    Evaluation first = ours.get(0).entry().evaluation();
    String acc = first.headlineName();
    StringBuilder head = new StringBuilder("| Model | GFLOPs |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    ResultsTable.classColumns(first, head, rule);
    head.append(" Average ").append(acc).append(" | Average F1 |");
    rule.append("---:|---:|");
    md.append(head).append('\n').append(rule).append('\n');
    for (Row r : ours) {
      ResultsTable.Entry e = r.entry();
      md.append("| ").append(e.model()).append(" | ").append(gflops(e.gflops())).append(" |");
      for (ClassMetrics c : e.evaluation().classes()) {
        md.append(pct(e.evaluation().headline(c))).append(" |").append(pct(c.f1())).append(" |");
      }
      ClassMetrics a = e.evaluation().average();
      md.append(pct(e.evaluation().headline(a))).append(" |").append(pct(a.f1())).append(" |\n");
      PaperResults.Cell avg = PaperResults.main(dataset, r.type(), "average");
      if (avg == null) continue;
      md.append("| ").append(r.type().toUpperCase(Locale.ROOT)).append(", paper | ").append(gflops(avg.gflops())).append(" |");
      for (ClassMetrics c : e.evaluation().classes()) {
        PaperResults.Cell p = PaperResults.main(dataset, r.type(), c.label());
        md.append(paper(p == null ? Double.NaN : p.headline())).append(" |").append(paper(p == null ? Double.NaN : p.f1()))
            .append(" |");
      }
      md.append(paper(avg.headline())).append(" |").append(paper(avg.f1())).append(" |\n");
    }
    md.append('\n');
    return this;
  }

  /** Table 5: average headline metric and F1 per model and modality subset, the paper's beside ours. */
  public ReproductionReport ablationTable(DatasetKind dataset, List<Row> ours) {
    if (ours.isEmpty()) return this;
    String acc = ours.get(0).entry().evaluation().headlineName();
    md.append("| Model | Mods. | Avg. ").append(acc).append(" | Avg. F1 | paper Avg. ").append(acc)
        .append(" | paper Avg. F1 | GFLOPs |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (Row r : ours) {
      ClassMetrics a = r.entry().evaluation().average();
      PaperResults.Cell p = PaperResults.ablation(dataset, r.type(), r.modalityCode());
      md.append("| ").append(r.type().toUpperCase(Locale.ROOT)).append(" | ").append(r.modalityCode().toUpperCase(Locale.ROOT))
          .append(" |").append(pct(r.entry().evaluation().headline(a))).append(" |").append(pct(a.f1())).append(" |")
          .append(paper(p == null ? Double.NaN : p.headline())).append(" |").append(paper(p == null ? Double.NaN : p.f1()))
          .append(" | ").append(gflops(r.entry().gflops())).append(" |\n");
    }
    md.append('\n');
    return this;
  }

  /** Figure 5: the plot (a file beside report.md) and its numbers. */
  public ReproductionReport sweep(List<SweepPoint> mesm, SweepPoint fe2e, String png) {
    if (mesm.isEmpty()) return this;
    String acc = mesm.get(0).test().headlineName();
    md.append("![top-p sweep](").append(png).append(")\n\n| Model | top-p | Avg. ").append(acc)
        .append(" | Avg. F1 | GFLOPs | Active sites per block |\n|---|---:|---:|---:|---:|---|\n");
    for (SweepPoint p : mesm) sweepRow(p, SweepPoint.format(p.topP()));
    if (fe2e != null) sweepRow(fe2e, "–");
    md.append('\n');
    return this;
  }

  /** Every run of the set. */
  public ReproductionReport runs(List<Run> runs) {
    md.append("| Dataset | Run | Model | Experiments | Trained by this job | Epochs | Model folder |\n")
        .append("|---|---|---|---|---|---:|---|\n");
    for (Run r : runs) {
      md.append("| ").append(r.dataset()).append(" | ").append(r.name()).append(" | ").append(r.label()).append(" | ")
          .append(r.experiments()).append(" | ").append(r.reused() ? "no (reused)" : "yes").append(" | ").append(r.epochs())
          .append(" | ").append(r.modelLocation()).append(" |\n");
    }
    md.append('\n');
    return this;
  }

  public String markdown() {
    return md.toString();
  }

  private void sweepRow(SweepPoint p, String topP) {
    ClassMetrics a = p.test().average();
    md.append("| ").append(p.label()).append(" | ").append(topP).append(" |").append(pct(p.test().headline(a))).append(" |")
        .append(pct(a.f1())).append(" | ").append(gflops(p.gflops())).append(" | ")
        .append(p.activity().isEmpty() ? "–" : p.activity().summary()).append(" |\n");
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? " –" : String.format(Locale.ROOT, " %.1f", 100 * v);
  }

  private static String paper(double v) {
    return Double.isNaN(v) ? " –" : String.format(Locale.ROOT, " %.1f", v);
  }

  private static String gflops(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }
}
