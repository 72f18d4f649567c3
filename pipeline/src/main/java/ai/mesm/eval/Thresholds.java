package ai.mesm.eval;

/**
 * The reference's per-class decision thresholds (docs/computation.md#evaluation): for each class, the value of the grid
 * from..to by step that maximises binary F1 on the VALIDATION set, the first (lowest) one on ties;
 * the test set is then scored with these thresholds.
 */
public final class Thresholds {
  private Thresholds() {}

  /** The grid 0.05, 0.10, …, 0.95 computed as integer multiples, so that 0.15 is 0.15, not 0.15000000000000002. */
  public static double[] grid(double from, double to, double step) {
    int n = (int) Math.floor((to - from) / step + 1e-9) + 1;
    double[] g = new double[n];
    for (int i = 0; i < n; i++) g[i] = Math.round((from + i * step) * 1e9) / 1e9;
    return g;
  }

  /** @param probabilities [item][class], @param labels [item][class] in {0, 1} */
  public static double[] tune(double[][] probabilities, int[][] labels, double[] grid) {
    int classes = probabilities.length == 0 ? 0 : probabilities[0].length;
    double[] best = new double[classes];
    for (int c = 0; c < classes; c++) {
      double[] p = column(probabilities, c);
      int[] y = column(labels, c);
      double bestF1 = -1;
      for (double t : grid) {
        double f1 = BinaryCounts.of(p, y, t).f1();
        if (f1 > bestF1) { // strictly greater: the first maximum wins ties
          bestF1 = f1;
          best[c] = t;
        }
      }
    }
    return best;
  }

  static double[] column(double[][] m, int c) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) out[i] = m[i][c];
    return out;
  }

  static int[] column(int[][] m, int c) {
    int[] out = new int[m.length];
    for (int i = 0; i < m.length; i++) out[i] = m[i][c];
    return out;
  }
}
