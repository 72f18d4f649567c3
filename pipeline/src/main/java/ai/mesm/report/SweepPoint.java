package ai.mesm.report;

import ai.mesm.eval.Evaluation;
import ai.mesm.model.SiteActivity;

/** One model of a top-p sweep, evaluated on test; topP is NaN for the FE2E reference. */
public record SweepPoint(String model, String label, double topP, Evaluation test, double gflops, SiteActivity activity,
                         boolean reused) {

  /** 0.5 → "0.5", 1.0 → "1": the shortest exact decimal, as run names, tables and CSVs show p. */
  public static String format(double p) {
    return java.math.BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
  }
}
