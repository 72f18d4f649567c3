package ai.mesm.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.stage.TrainRunner;
import ai.mesm.testing.SharedTrainings;
import ai.mesm.testing.Slow;
import ai.mesm.testing.SplitCorpus;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CMU-MOSEI end to end: a synthetic MOSEI release taken through ingest and the video-disjoint fold
 * split, FE2E and MESM (p = 0.5, the paper's MOSEI setting) trained on it, shrunk as in
 * {@link LearningTest} and held to the same bars, and the result in the layout of the paper's
 * Table 4: weighted accuracy and F1 per emotion. The weighted accuracy and F1 are recomputed here
 * from the trained model's test predictions and the thresholds it tuned on validation.
 */
@Slow
class MoseiTrainingTest {
  @TempDir static Path out;

  /** FE2E and MESM at once (SharedTrainings). */
  static final SharedTrainings TRAINED = new SharedTrainings("mosei-training-test");

  @BeforeAll
  static void startBoth() {
    SplitCorpus.mosei();
    TRAINED.start("fe2e", () -> config("fe2e", Map.of()));
    TRAINED.start("mesm", () -> config("mesm", MESM));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    TRAINED.close();
  }

  private static MesmConfig config(String type, Map<String, String> extra) {
    Map<String, String> o = new HashMap<>(extra);
    o.put("model.type", type);
    o.put("train.max-epochs", "5");
    o.put("train.patience", "5");
    return SplitCorpus.moseiConfig(LearningTest.shrunkSettings(out, "t,a,v", o));
  }

  /** MESM at p = 0.5, the paper's MOSEI setting. */
  static final Map<String, String> MESM = Map.of("model.mesm.top-p", "0.5", "train.run-name", "mesm-tav-p05");

  @Test
  void fe2eLearnsMoseiAndItsTableIsTable4WithWeightedAccuracyFromItsPredictions() throws Exception {
    TrainRunner.Result r = TRAINED.get("fe2e", () -> config("fe2e", Map.of()));
    assertEquals(DatasetKind.MOSEI, r.test().dataset());
    LearningTest.assertLearned("FE2E (T+A+V) on MOSEI", r.test());

    Path reports = Path.of(r.reportsLocation());
    String md = Files.readString(reports.resolve("results.md"));
    StringBuilder header = new StringBuilder("| Model |");
    for (String c : DatasetKind.MOSEI.classes()) header.append(' ').append(c).append(" WAcc | ").append(c).append(" F1 |");
    header.append(" Average WAcc | Average F1 | GFLOPs |");
    assertEquals(header.toString(), md.lines().findFirst().orElseThrow(), "the paper's Table 4 columns");
    JsonObject json = JsonParser.parseString(Files.readString(reports.resolve("results.json"))).getAsJsonArray().get(0)
        .getAsJsonObject();
    assertEquals("mosei", json.get("dataset").getAsString());
    assertEquals("WAcc", json.get("headline_metric").getAsString());

    // By hand from predictions_test.csv (id, p_class..., y_class...) and each class's threshold in
    // results.csv: predicted positive iff p > threshold; WAcc = (TPR + TNR) / 2 = (TP·N/P + TN) / (2N).
    List<String[]> predictions = Files.readAllLines(reports.resolve("predictions_test.csv")).stream().skip(1)
        .map(l -> l.split(",")).toList();
    Map<String, String[]> rows = new HashMap<>();
    for (String line : Files.readAllLines(reports.resolve("results.csv")).subList(1, 8)) {
      String[] f = line.split(",");
      assertEquals("FE2E (T+A+V)", f[0]);
      rows.put(f[1], f);
    }
    int k = DatasetKind.MOSEI.classes().size();
    double sumWacc = 0;
    double sumF1 = 0;
    for (int c = 0; c < k; c++) {
      String label = DatasetKind.MOSEI.classes().get(c);
      double threshold = Double.parseDouble(rows.get(label)[2]);
      long tp = 0, fp = 0, tn = 0, fn = 0;
      for (String[] p : predictions) {
        boolean predicted = Double.parseDouble(p[1 + c]) > threshold;
        boolean actual = p[1 + k + c].equals("1");
        if (predicted && actual) tp++;
        else if (predicted) fp++;
        else if (actual) fn++;
        else tn++;
      }
      assertTrue(tp + fn > 0 && tn + fp > 0, label + ": both outcomes in the test split");
      double wacc = 0.5 * ((double) tp / (tp + fn) + (double) tn / (tn + fp));
      double f1 = 2.0 * tp / (2 * tp + fp + fn);
      assertEquals(wacc, Double.parseDouble(rows.get(label)[4]), 1e-6, label + " WAcc");
      assertEquals(f1, Double.parseDouble(rows.get(label)[5]), 1e-6, label + " F1");
      assertEquals(r.test().classes().get(c).weightedAccuracy(), wacc, 1e-9, label + " WAcc of the returned evaluation");
      sumWacc += wacc;
      sumF1 += f1;
    }
    assertEquals(sumWacc / k, Double.parseDouble(rows.get("Average")[4]), 1e-6, "average WAcc");
    assertEquals(sumF1 / k, Double.parseDouble(rows.get("Average")[5]), 1e-6, "average F1");
    assertEquals(predictions.size(), Long.parseLong(rows.get("Average")[10]), "every test clip evaluated");
  }

  @Test
  void mesmAtTopPHalfLearnsMoseiAndDropsSites() throws Exception {
    TrainRunner.Result r = TRAINED.get("mesm", () -> config("mesm", MESM));
    assertEquals(DatasetKind.MOSEI, r.test().dataset());
    LearningTest.assertLearned("MESM (T+A+V, p=0.5) on MOSEI", r.test());
    String md = r.table().markdown();
    assertTrue(md.contains("| MESM (T+A+V, p=0.5) |"), md);
    assertTrue(md.lines().findFirst().orElseThrow().contains(" surprise WAcc | surprise F1 |"), md);
    double gflops = r.table().entries().get(0).gflops();
    assertTrue(gflops > 0, "MESM's GFLOPs per clip: " + gflops);
    double[] visual = r.table().entries().get(0).activity().fractions().get(ai.mesm.model.Modality.VISUAL);
    assertTrue(visual[0] < 1.0, "p = 0.5 drops sites of the first sparse block: " + visual[0]);
  }
}
