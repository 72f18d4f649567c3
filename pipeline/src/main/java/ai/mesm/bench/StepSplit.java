package ai.mesm.bench;

import ai.mesm.media.MediaTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A job's task time by step as make bench prints it: "decode 12.0 s (30 %), ..., other 3.1 s (8 %)
 * of 40.2 task-seconds", from the seconds-per-step maps that ingest's sources and scoring's videos
 * report. "other" is what the named steps leave of the whole (parsing, building rows, writing).
 */
public final class StepSplit {
  private StepSplit() {}

  /**
   * @param totalStep the step that times the whole item ("source" in ingest, "video" in scoring)
   * @param extraSteps steps named after the media steps (scoring's "batch", "model")
   */
  public static String render(Map<String, Double> seconds, String totalStep, List<String> extraSteps) {
    double total = seconds.getOrDefault(totalStep, 0.0);
    StringBuilder sb = new StringBuilder();
    double named = 0;
    for (String key : steps(extraSteps)) {
      double v = seconds.getOrDefault(key, 0.0);
      named += v;
      sb.append(String.format(Locale.ROOT, "%s %.1f s (%.0f %%), ", key, v, 100 * v / total));
    }
    return sb.append(String.format(Locale.ROOT, "other %.1f s (%.0f %%) of %.1f task-seconds", total - named,
        100 * (total - named) / total, total)).toString();
  }

  /** The seconds of the media steps alone (decode to mel). */
  public static double mediaSeconds(Map<String, Double> seconds) {
    return steps(List.of()).stream().mapToDouble(k -> seconds.getOrDefault(k, 0.0)).sum();
  }

  private static List<String> steps(List<String> extra) {
    List<String> keys = new ArrayList<>();
    for (MediaTimes.Step step : MediaTimes.Step.values()) keys.add(step.name().toLowerCase(Locale.ROOT));
    keys.addAll(extra);
    return keys;
  }
}
