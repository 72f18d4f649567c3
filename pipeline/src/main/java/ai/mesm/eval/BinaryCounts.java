package ai.mesm.eval;

/**
 * The confusion counts of one class at one threshold (predict positive iff p > t, docs/computation.md#evaluation) and
 * the metrics the paper reports from them. Undefined ratios (nothing predicted positive, no
 * positive in the data) are 0, as scikit-learn's zero_division=0 gives, except where noted.
 */
public record BinaryCounts(long tp, long fp, long tn, long fn) {

  public static BinaryCounts of(double[] probabilities, int[] labels, double threshold) {
    long tp = 0, fp = 0, tn = 0, fn = 0;
    for (int i = 0; i < probabilities.length; i++) {
      boolean predicted = probabilities[i] > threshold;
      boolean actual = labels[i] == 1;
      if (predicted && actual) tp++;
      else if (predicted) fp++;
      else if (actual) fn++;
      else tn++;
    }
    return new BinaryCounts(tp, fp, tn, fn);
  }

  public long positives() {
    return tp + fn;
  }

  public long negatives() {
    return tn + fp;
  }

  public long total() {
    return tp + fp + tn + fn;
  }

  /** IEMOCAP's accuracy: (TP + TN) / N. */
  public double accuracy() {
    return total() == 0 ? 0 : (double) (tp + tn) / total();
  }

  /**
   * CMU-MOSEI's weighted accuracy (TP·N/P + TN) / (2N), N = negatives, P = positives: the mean of
   * the true-positive and true-negative rates. A rate whose class is absent is left out of the
   * mean (the formula itself would divide by zero).
   */
  public double weightedAccuracy() {
    long p = positives();
    long n = negatives();
    if (p == 0 && n == 0) return 0;
    if (p == 0) return (double) tn / n;
    if (n == 0) return (double) tp / p;
    return (tp * (double) n / p + tn) / (2.0 * n);
  }

  public double precision() {
    return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
  }

  public double recall() {
    return positives() == 0 ? 0 : (double) tp / positives();
  }

  /** F1 of the positive class. */
  public double f1() {
    return 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
  }
}
