package ai.mesm.eval;

import java.util.Arrays;

/**
 * Area under the ROC curve as the probability that a random positive scores above a random
 * negative (ties count one half): the Mann–Whitney statistic, equal to scikit-learn's
 * roc_auc_score. Undefined (NaN) when the data holds only one class.
 */
public final class RocAuc {
  private RocAuc() {}

  public static double of(double[] scores, int[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    long positives = Arrays.stream(labels).filter(l -> l == 1).count();
    long negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) return Double.NaN;
    double rankSum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) j++;
      double midRank = (i + j) / 2.0 + 1; // average rank of a tie group, ranks from 1
      for (int k = i; k <= j; k++) if (labels[order[k]] == 1) rankSum += midRank;
      i = j + 1;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
  }
}
