package ai.mesm.ingest;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** The few numbers of a {@link SourceResult} the driver needs for the accounting (no media). */
public record SourceSummary(boolean accepted, long lines, long candidates, long utterances, double mediaSeconds,
                            Map<String, Map<String, Long>> rejectsByStageReason) implements Serializable {

  public static SourceSummary of(SourceResult r) {
    Map<String, Map<String, Long>> byStage = new HashMap<>();
    for (Reject reject : r.rejects()) {
      byStage.computeIfAbsent(reject.stage(), s -> new HashMap<>()).merge(reject.reason(), 1L, Long::sum);
    }
    return new SourceSummary(r.sourceAccepted(), r.lines(), r.candidates(), r.utterances().size(), r.mediaSeconds(),
        byStage);
  }
}
