package ai.mesm.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * The last item of a source: the few numbers the driver needs for the accounting (no media).
 *
 * @param lines      annotation lines read (transcript, evaluation; MOSEI label rows are counted by the driver)
 * @param candidates utterance ids the annotation files name
 * @param secondsByStep where the source's time went: the media steps of {@link ai.mesm.media.MediaTimes} and
 *                      "source", its whole time from start to summary (rows, annotation and writing included)
 */
public record SourceSummary(boolean accepted, long lines, long candidates, long utterances, double mediaSeconds,
                            Map<String, Map<String, Long>> rejectsByStageReason, Map<String, Double> secondsByStep)
    implements SourceItem {

  /** The step of {@link #secondsByStep} that times the whole source, beside the media steps. */
  public static final String SOURCE_STEP = "source";

  /** Counts the items of one source as they pass, for its summary. */
  static final class Tally {
    private long utterances;
    private final Map<String, Map<String, Long>> rejects = new HashMap<>();

    <T extends SourceItem> T count(T item) {
      if (item instanceof UtteranceRecord) utterances++;
      if (item instanceof Reject r) rejects.computeIfAbsent(r.stage(), s -> new HashMap<>()).merge(r.reason(), 1L, Long::sum);
      return item;
    }

    SourceSummary summary(boolean accepted, long lines, long candidates, double mediaSeconds,
                          Map<String, Double> secondsByStep) {
      return new SourceSummary(accepted, lines, candidates, utterances, mediaSeconds, rejects, Map.copyOf(secondsByStep));
    }
  }
}
