package ai.mesm.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounting of an ingest run (docs/computation.md#accounting): per stage, input = accepted + rejected, with the
 * rejects broken down by reason; plus throughput, and the tasks' time by step (seconds summed over
 * sources, so up to cores × wall time: media steps of {@link ai.mesm.media.MediaTimes} and "source", each
 * source's whole time), and the wall seconds of the Parquet writes that follow the media pass.
 */
public record IngestReport(String dataset, String output, List<StageCount> stages, double seconds,
                           double mediaSeconds, Map<String, Double> taskSecondsByStep, double writeSeconds) {

  public record StageCount(String stage, long input, long accepted, long rejected, Map<String, Long> byReason) {
    public boolean balanced() {
      return input == accepted + rejected;
    }
  }

  public StageCount stage(String name) {
    return stages.stream().filter(s -> s.stage().equals(name)).findFirst().orElseThrow();
  }

  public boolean balanced() {
    return stages.stream().allMatch(StageCount::balanced);
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("Ingest of %s -> %s%n", dataset, output));
    sb.append(String.format("  %-11s %8s %10s %10s   %s%n", "stage", "input", "accepted", "rejected", "rejects by reason"));
    for (StageCount s : stages) {
      sb.append(String.format("  %-11s %8d %10d %10d   %s%s%n", s.stage(), s.input(), s.accepted(), s.rejected(),
          s.byReason().isEmpty() ? "-" : s.byReason(), s.balanced() ? "" : "   <-- DOES NOT ADD UP"));
    }
    long utterances = stage("utterance").accepted();
    sb.append(String.format("  %.1f s: %.2f utterances/s, %.1f media-seconds/s%n", seconds, utterances / seconds,
        mediaSeconds / seconds));
    return sb.toString();
  }

  public static Map<String, Long> sorted(Map<String, Long> m) {
    return new LinkedHashMap<>(new java.util.TreeMap<>(m));
  }
}
