package ai.mesm.eval;

import ai.mesm.data.ExampleSource;
import ai.mesm.data.ExampleStream;
import ai.mesm.model.Batch;
import ai.mesm.model.Batches;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.SiteActivity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model's probabilities on a set of utterances, with their labels and the feature-extraction
 * GFLOPs each took, in reading order; for MESM also how many sites its sparse blocks kept.
 */
public record Predictions(List<String> ids, double[][] probabilities, int[][] labels, double[] gflops,
                          SiteActivity activity) {

  public static Predictions of(EmotionModel model, ExampleSource source, int batchSize) throws IOException {
    List<String> ids = new ArrayList<>();
    List<double[]> probabilities = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    List<Double> gflops = new ArrayList<>();
    SiteActivity activity = new SiteActivity();
    try (ExampleStream examples = source.open()) {
      Batches batches = new Batches(examples, model.batchBuilder(), batchSize);
      while (batches.hasNext()) {
        Batch b = batches.next();
        ids.addAll(b.ids());
        EmotionModel.Scores scores = model.score(b);
        double[][] p = scores.probabilities();
        int[][] y = b.labels().toIntMatrix();
        for (double g : scores.gflops()) gflops.add(g);
        activity.addAll(scores.activity());
        for (int i = 0; i < b.size(); i++) {
          probabilities.add(p[i]);
          labels.add(y[i]);
        }
      }
    }
    if (ids.isEmpty()) throw new IOException("no utterances to predict on");
    return new Predictions(ids, probabilities.toArray(double[][]::new), labels.toArray(int[][]::new),
        gflops.stream().mapToDouble(Double::doubleValue).toArray(), activity);
  }

  public double meanGflops() {
    return java.util.Arrays.stream(gflops).average().orElse(Double.NaN);
  }

  public int size() {
    return ids.size();
  }

  /** id, p_class…, y_class… per utterance. */
  public String csv(List<String> classes) {
    StringBuilder sb = new StringBuilder("utterance_id");
    for (String c : classes) sb.append(",p_").append(c);
    for (String c : classes) sb.append(",y_").append(c);
    sb.append('\n');
    for (int i = 0; i < ids.size(); i++) {
      sb.append(ids.get(i));
      for (double p : probabilities[i]) sb.append(',').append(String.format(Locale.ROOT, "%.6f", p));
      for (int y : labels[i]) sb.append(',').append(y);
      sb.append('\n');
    }
    return sb.toString();
  }
}
