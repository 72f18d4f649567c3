package ai.mesm.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's Tables 1–2 for a split (per label: average words per utterance, average clip
 * duration, train/valid/test sizes) and the per-class positive weights of the loss (docs/computation.md#training:
 * negatives / positives on the train split).
 */
public final class SplitStatistics {
  /** What the statistics need of one utterance: its word count, not its text. */
  public record Item(Split split, List<Integer> labels, int words, double durationS) {
    public Item(Split split, List<Integer> labels, String text, double durationS) {
      this(split, labels, wordCount(text), durationS);
    }
  }

  public record Row(String label, double avgWords, double avgDurationS, long train, long valid, long test) {}

  private final List<String> classes;
  private final List<Row> rows;
  private final long[] totals;
  private final double[] positiveWeights;

  public SplitStatistics(List<String> classes, List<Item> items) {
    this.classes = classes;
    int k = classes.size();
    long[][] count = new long[k][3];
    double[] words = new double[k];
    double[] seconds = new double[k];
    long[] positives = new long[k];
    totals = new long[3];
    long trainSize = 0;
    for (Item it : items) {
      totals[it.split().ordinal()]++;
      if (it.split() == Split.TRAIN) trainSize++;
      int w = it.words();
      for (int c = 0; c < k; c++) {
        if (it.labels().get(c) != 1) continue;
        count[c][it.split().ordinal()]++;
        words[c] += w;
        seconds[c] += it.durationS();
        if (it.split() == Split.TRAIN) positives[c]++;
      }
    }
    rows = new ArrayList<>();
    positiveWeights = new double[k];
    for (int c = 0; c < k; c++) {
      long n = count[c][0] + count[c][1] + count[c][2];
      rows.add(new Row(classes.get(c), n == 0 ? 0 : words[c] / n, n == 0 ? 0 : seconds[c] / n, count[c][0],
          count[c][1], count[c][2]));
      // A class with no positive in train would get an infinite weight: 1 keeps the loss finite.
      positiveWeights[c] = positives[c] == 0 ? 1.0 : (double) (trainSize - positives[c]) / positives[c];
    }
  }

  /** Words as the reference counts them: whitespace-separated tokens. */
  public static int wordCount(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  public List<Row> rows() {
    return rows;
  }

  public long total(Split split) {
    return totals[split.ordinal()];
  }

  public double[] positiveWeights() {
    return positiveWeights.clone();
  }

  public List<String> classes() {
    return classes;
  }

  public String markdown(String title) {
    StringBuilder sb = new StringBuilder(title).append("\n\n");
    sb.append("| Label | Avg. word count | Avg. clip duration (s) | Train size | Valid size | Test size |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %d | %d | %d |%n", r.label(), r.avgWords(),
          r.avgDurationS(), r.train(), r.valid(), r.test()));
    }
    sb.append(String.format(Locale.ROOT, "| **utterances** | | | %d | %d | %d |%n", totals[0], totals[1], totals[2]));
    return sb.toString();
  }

  public String csv() {
    StringBuilder sb = new StringBuilder("label,avg_word_count,avg_clip_duration_s,train,valid,test,train_pos_weight\n");
    for (int c = 0; c < rows.size(); c++) {
      Row r = rows.get(c);
      sb.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%d,%d,%d,%.6f%n", r.label(), r.avgWords(), r.avgDurationS(),
          r.train(), r.valid(), r.test(), positiveWeights[c]));
    }
    return sb.toString();
  }

  public String render() {
    StringBuilder sb = new StringBuilder(String.format("  %-10s %10s %12s %7s %7s %7s %10s%n", "label", "avg words",
        "avg dur (s)", "train", "valid", "test", "pos weight"));
    for (int c = 0; c < rows.size(); c++) {
      Row r = rows.get(c);
      sb.append(String.format(Locale.ROOT, "  %-10s %10.2f %12.2f %7d %7d %7d %10.3f%n", r.label(), r.avgWords(),
          r.avgDurationS(), r.train(), r.valid(), r.test(), positiveWeights[c]));
    }
    sb.append(String.format("  %-10s %10s %12s %7d %7d %7d%n", "utterances", "", "", totals[0], totals[1], totals[2]));
    return sb.toString();
  }
}
