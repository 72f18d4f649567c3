package ai.mesm.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * The last item of a source: the few numbers the driver needs for the accounting (no media).
 *
 * @param lines      annotation lines read (transcript, evaluation; MOSEI label rows are counted by the driver)
 * @param candidates utterance ids the annotation files name
 */
public record SourceSummary(boolean accepted, long lines, long candidates, long utterances, double mediaSeconds,
                            Map<String, Map<String, Long>> rejectsByStageReason) implements SourceItem {

  /** Counts the items of one source as they pass, for its summary. */
  static final class Tally {
    private long utterances;
    private final Map<String, Map<String, Long>> rejects = new HashMap<>();

    <T extends SourceItem> T count(T item) {
      if (item instanceof UtteranceRecord) utterances++;
      if (item instanceof Reject r) rejects.computeIfAbsent(r.stage(), s -> new HashMap<>()).merge(r.reason(), 1L, Long::sum);
      return item;
    }

    SourceSummary summary(boolean accepted, long lines, long candidates, double mediaSeconds) {
      return new SourceSummary(accepted, lines, candidates, utterances, mediaSeconds, rejects);
    }
  }
}
