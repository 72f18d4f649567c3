package ai.mesm.report;

import ai.mesm.data.DatasetKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The paper's own numbers (Tables 3–5, in percent), to print beside a reproduction's: read from
 * paper-results.csv next to this class, transcribed from the paper.
 */
public final class PaperResults {
  /** One cell group of a paper table: the headline metric (Acc or WAcc) and F1 in percent, GFLOPs or NaN. */
  public record Cell(double headline, double f1, double gflops) {}

  private static final String RESOURCE = "paper-results.csv";
  private static final Map<String, Cell> CELLS = load();

  private PaperResults() {}

  /** Table 3 (IEMOCAP) or 4 (CMU-MOSEI): a class label of the dataset or "average"; null when absent. */
  public static Cell main(DatasetKind dataset, String model, String classLabel) {
    return CELLS.get(key(dataset == DatasetKind.IEMOCAP ? "table3" : "table4", model, "tav", classLabel));
  }

  /** Table 5 (IEMOCAP only): the average for a model on a modality subset such as "ta"; null when absent. */
  public static Cell ablation(DatasetKind dataset, String model, String modalityCode) {
    if (dataset != DatasetKind.IEMOCAP) return null;
    // The paper writes A+V as "VA"; our runs spell subsets in T, A, V order.
    return CELLS.get(key("table5", model, modalityCode, "average"));
  }

  private static String key(String table, String model, String modalities, String label) {
    return table + "/" + model.toUpperCase(java.util.Locale.ROOT) + "/" + modalities + "/" + label;
  }

  private static Map<String, Cell> load() {
    Map<String, Cell> cells = new HashMap<>();
    try (InputStream in = PaperResults.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split(",", -1);
        cells.put(key(f[0], f[1], f[2], f[4]), new Cell(Double.parseDouble(f[5]), Double.parseDouble(f[6]),
            f[7].isEmpty() ? Double.NaN : Double.parseDouble(f[7])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(cells);
  }
}
