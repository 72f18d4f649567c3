package ai.mesm.eval;

import ai.mesm.data.DatasetKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's evaluation of one model on one split (docs/computation.md#evaluation): six independent binary tasks scored
 * with the thresholds tuned on validation; the "Average" is the unweighted mean over classes
 * (ROC-AUC over the classes where it is defined). The headline accuracy is Acc for IEMOCAP and
 * weighted accuracy for CMU-MOSEI.
 */
public record Evaluation(DatasetKind dataset, List<ClassMetrics> classes, ClassMetrics average) {

  /**
   * @param probabilities [item][class] sigmoid outputs
   * @param labels        [item][class] multi-hot
   * @param thresholds    per class, from {@link Thresholds#tune} on the validation set
   */
  public static Evaluation of(DatasetKind dataset, double[][] probabilities, int[][] labels, double[] thresholds) {
    List<String> names = dataset.classes();
    List<ClassMetrics> classes = new ArrayList<>();
    for (int c = 0; c < names.size(); c++) {
      double[] p = Thresholds.column(probabilities, c);
      int[] y = Thresholds.column(labels, c);
      BinaryCounts k = BinaryCounts.of(p, y, thresholds[c]);
      classes.add(new ClassMetrics(names.get(c), thresholds[c], k.accuracy(), k.weightedAccuracy(), k.f1(),
          k.precision(), k.recall(), RocAuc.of(p, y), k.positives(), k.total()));
    }
    return new Evaluation(dataset, classes, mean(classes));
  }

  /** Thresholds tuned on validation, then applied to test: the paper's protocol in one call. */
  public static Evaluation validateThenTest(DatasetKind dataset, double[][] validProbabilities, int[][] validLabels,
                                            double[][] testProbabilities, int[][] testLabels, double[] grid) {
    double[] thresholds = Thresholds.tune(validProbabilities, validLabels, grid);
    return of(dataset, testProbabilities, testLabels, thresholds);
  }

  /** Acc (IEMOCAP) or WAcc (CMU-MOSEI) of a class or the average. */
  public double headline(ClassMetrics m) {
    return dataset == DatasetKind.MOSEI ? m.weightedAccuracy() : m.accuracy();
  }

  public String headlineName() {
    return dataset == DatasetKind.MOSEI ? "WAcc" : "Acc";
  }

  private static ClassMetrics mean(List<ClassMetrics> m) {
    double n = m.size();
    double auc = 0;
    int defined = 0;
    for (ClassMetrics c : m) {
      if (!Double.isNaN(c.auc())) {
        auc += c.auc();
        defined++;
      }
    }
    return new ClassMetrics("Average", Double.NaN, m.stream().mapToDouble(ClassMetrics::accuracy).sum() / n,
        m.stream().mapToDouble(ClassMetrics::weightedAccuracy).sum() / n, m.stream().mapToDouble(ClassMetrics::f1).sum() / n,
        m.stream().mapToDouble(ClassMetrics::precision).sum() / n, m.stream().mapToDouble(ClassMetrics::recall).sum() / n,
        defined == 0 ? Double.NaN : auc / defined, m.stream().mapToLong(ClassMetrics::positives).sum(),
        m.isEmpty() ? 0 : m.get(0).total());
  }
}
