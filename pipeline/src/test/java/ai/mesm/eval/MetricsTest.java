package ai.mesm.eval;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.data.DatasetKind;
import ai.mesm.model.Modality;
import ai.mesm.model.SiteActivity;
import ai.mesm.report.ResultsTable;
import org.junit.jupiter.api.Test;

/** Every number here is computed by hand in the comments. */
class MetricsTest {
  @Test
  void countsUseAStrictThreshold() {
    // predicted: 0.9 0.8 0.3 0.6 0.1 0.5 > 0.5 -> 1 1 0 1 0 0 (0.5 itself is negative)
    BinaryCounts k = BinaryCounts.of(new double[] {0.9, 0.8, 0.3, 0.6, 0.1, 0.5}, new int[] {1, 1, 1, 0, 0, 0}, 0.5);
    assertEquals(new BinaryCounts(2, 1, 2, 1), k);
    assertEquals(4 / 6.0, k.accuracy(), 1e-12);
    assertEquals(2 / 3.0, k.precision(), 1e-12);
    assertEquals(2 / 3.0, k.recall(), 1e-12);
    assertEquals(4 / 6.0, k.f1(), 1e-12); // 2TP / (2TP + FP + FN) = 4 / 6
  }

  @Test
  void weightedAccuracyIsTheMosesFormula() {
    // P = 1, N = 7; TP = 1, FP = 1, TN = 6, FN = 0: (TP·N/P + TN) / 2N = (7 + 6) / 14
    BinaryCounts k = BinaryCounts.of(new double[] {0.9, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1},
        new int[] {1, 0, 0, 0, 0, 0, 0, 0}, 0.5);
    assertEquals(13 / 14.0, k.weightedAccuracy(), 1e-12);
    assertEquals(7 / 8.0, k.accuracy(), 1e-12);
    // No positive at all: only the true-negative rate is defined.
    assertEquals(5 / 6.0, BinaryCounts.of(new double[] {0.9, 0.1, 0.1, 0.1, 0.1, 0.1}, new int[6], 0.5).weightedAccuracy(),
        1e-12);
  }

  @Test
  void thresholdsTakeTheFirstMaximumOfF1OnValidation() {
    double[] grid = Thresholds.grid(0.05, 0.95, 0.05);
    assertEquals(19, grid.length);
    assertEquals(0.15, grid[2]);
    assertEquals(0.95, grid[18]);
    // class 0: p = 0.9 (pos), 0.2 (neg). t = 0.05..0.15 -> both positive, F1 = 2/3; from t = 0.20 on
    // (0.2 > 0.2 is false) F1 = 1 up to 0.85: the first maximum is 0.20.
    // class 1: no positive in validation -> F1 = 0 everywhere -> the first grid value, 0.05.
    // class 2: p = 0.3 (pos), 0.6 (pos), 0.65 (neg): t < 0.3 -> TP 2 FP 1, F1 = 0.8; t in [0.3, 0.6) -> TP 1 FP 1
    // FN 1, F1 = 0.5; t in [0.6, 0.65) -> TP 0, F1 = 0. Best 0.8 first at 0.05.
    double[][] p = {{0.9, 0.5, 0.3}, {0.2, 0.4, 0.6}, {0.2, 0.1, 0.65}};
    int[][] y = {{1, 0, 1}, {0, 0, 1}, {0, 0, 0}};
    assertArrayEquals(new double[] {0.20, 0.05, 0.05}, Thresholds.tune(p, y, grid), 1e-12);
  }

  @Test
  void rocAucIsTheRankStatisticWithTiesAsHalves() {
    assertEquals(0.75, RocAuc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), 1e-12);
    assertEquals(0.5, RocAuc.of(new double[] {0.5, 0.5}, new int[] {1, 0}), 1e-12);
    // positives 0.6, 0.6; negatives 0.6, 0.2: pairs (win, tie, win, tie) -> (1 + .5 + 1 + .5) / 4
    assertEquals(0.75, RocAuc.of(new double[] {0.6, 0.6, 0.6, 0.2}, new int[] {1, 1, 0, 0}), 1e-12);
    assertTrue(Double.isNaN(RocAuc.of(new double[] {0.1, 0.9}, new int[] {0, 0})));
  }

  @Test
  void averagesAreUnweightedMeansAndTheTableHasThePaperLayout() {
    // 6 classes, 4 test items; thresholds 0.5 everywhere.
    double[][] p = new double[4][6];
    int[][] y = new int[4][6];
    for (int i = 0; i < 4; i++) for (int c = 0; c < 6; c++) p[i][c] = 0.1;
    p[0][0] = 0.9; y[0][0] = 1; // class 0: TP
    y[1][0] = 1;                // class 0: FN  -> F1 = 2/3, Acc = 3/4
    p[2][1] = 0.9;              // class 1: FP, no positive -> F1 0, Acc 3/4, AUC undefined
    double[] t = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    Evaluation e = Evaluation.of(DatasetKind.IEMOCAP, p, y, t);
    assertEquals(2 / 3.0, e.classes().get(0).f1(), 1e-12);
    assertEquals((2 / 3.0) / 6, e.average().f1(), 1e-12);
    // Acc: class 0 3/4, class 1 3/4, classes 2..5 all negatives predicted negative: 1 -> (0.75 + 0.75 + 4) / 6
    assertEquals(5.5 / 6, e.average().accuracy(), 1e-12);
    assertEquals(0.75, e.classes().get(0).auc(), 1e-12); // positives 0.9, 0.1 vs negatives 0.1, 0.1: (1+1+.5+.5)/4
    assertEquals(0.75, e.average().auc(), 1e-12, "AUC averaged over the classes where it is defined");
    String md = new ResultsTable().add("FE2E", e, 8.65).markdown();
    assertTrue(md.startsWith("| Model | ang Acc | ang F1 | exc Acc |"), md);
    assertTrue(md.contains("| FE2E | 75.0 | 66.7 | 75.0 | 0.0 |"), md);
    assertTrue(md.contains("| 91.7 | 11.1 | 8.65 |"), md);
    assertEquals("WAcc", Evaluation.of(DatasetKind.MOSEI, p, y, t).headlineName());
    String csv = new ResultsTable().add("MESM (p=0.7)", e, Double.NaN).csv();
    assertTrue(csv.contains("MESM (p=0.7),ang,0.500000,0.750000,"), csv);
    assertTrue(new ResultsTable().add("FE2E", e, 1).json().contains("\"headline_metric\": \"Acc\""));

    // MESM rows carry the active fraction of each sparse block, counted over sites of all batches.
    SiteActivity active = new SiteActivity().add(Modality.AUDIO, 0, 30, 100).add(Modality.AUDIO, 1, 5, 25)
        .addAll(new SiteActivity().add(Modality.AUDIO, 0, 10, 100).add(Modality.VISUAL, 0, 1, 4));
    assertArrayEquals(new double[] {0.2, 0.2}, active.fractions().get(Modality.AUDIO), 1e-12);
    ResultsTable both = new ResultsTable().add("FE2E", e, 8.65).add("MESM (p=0.7)", e, 3.1, active);
    String mesmMd = both.markdown();
    assertTrue(mesmMd.contains("| GFLOPs | Active sites per block |"), mesmMd);
    assertTrue(mesmMd.contains("| 8.65 | – |"), mesmMd);
    assertTrue(mesmMd.contains("| 3.10 | A 20/20 % · V 25 % |"), mesmMd);
    assertTrue(both.csv().contains(",3.100000,0.2000;0.2000,0.2500\n"), both.csv());
    assertTrue(both.json().contains("\"active_fraction_per_block\""), both.json());
  }
}
