package ai.mesm.report;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.data.DatasetKind;
import ai.mesm.eval.Evaluation;
import ai.mesm.model.Modality;
import ai.mesm.model.SiteActivity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** results.json read back as written: how a reused run of the sweep or the reproduce job reports its results. */
class ResultsTableJsonTest {
  @Test
  void everyMetricGflopsAndActiveFractionComeBack() {
    double[][] p = {{0.9, 0.1, 0.6, 0.2, 0.3, 0.7}, {0.2, 0.8, 0.4, 0.9, 0.6, 0.1}, {0.6, 0.3, 0.7, 0.1, 0.8, 0.5}};
    int[][] y = {{1, 0, 1, 0, 0, 1}, {0, 1, 0, 1, 1, 0}, {0, 0, 1, 0, 1, 1}};
    Evaluation mosei = Evaluation.of(DatasetKind.MOSEI, p, y, new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5});
    SiteActivity active = SiteActivity.none().add(Modality.AUDIO, 0, 47, 100).add(Modality.AUDIO, 1, 33, 100)
        .add(Modality.VISUAL, 0, 1, 3);
    ResultsTable table = new ResultsTable().add("MESM (T+A+V, p=0.5)", mosei, 0.38, active).add("FE2E (T+A+V)", mosei,
        Double.NaN);

    List<ResultsTable.Entry> back = ResultsTable.fromJson(table.json());
    assertEquals(2, back.size());
    assertEquals(mosei, back.get(0).evaluation(), "every class, the average, thresholds and AUC");
    assertEquals("MESM (T+A+V, p=0.5)", back.get(0).model());
    assertEquals(0.38, back.get(0).gflops());
    assertEquals(active.summary(), back.get(0).activity().summary());
    assertEquals(active.fractionsCsv(Modality.VISUAL), back.get(0).activity().fractionsCsv(Modality.VISUAL));
    assertArrayEquals(active.fractions().get(Modality.VISUAL), back.get(0).activity().fractions().get(Modality.VISUAL),
        1e-9);
    assertTrue(Double.isNaN(back.get(1).gflops()) && back.get(1).activity().isEmpty(), "FE2E: no GFLOPs given, no blocks");
    assertEquals(table.csv(), new ResultsTable().add(back.get(0).model(), back.get(0).evaluation(), back.get(0).gflops(),
        back.get(0).activity()).add(back.get(1).model(), back.get(1).evaluation(), back.get(1).gflops()).csv());
  }
}
