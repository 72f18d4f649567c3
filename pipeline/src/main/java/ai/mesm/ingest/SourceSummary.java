package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last item of a source: what the driver needs for the accounting and to find duplicated ids (no media).
 *
 * @param lines      annotation lines read (transcript, evaluation; MOSEI label rows are counted by the driver)
 * @param candidates utterance ids the annotation files name
 * @param cut        the utterances the source gave, in order: their ids and videos, so that the driver finds ids
 *                   that several sources carry without reading the items again
 * @param secondsByStep where the source's time went: the media steps of {@link ai.mesm.media.MediaTimes} and
 *                      "source", its whole time from start to summary (rows, annotation and writing included)
 */
public record SourceSummary(boolean accepted, long lines, long candidates, List<Cut> cut, double mediaSeconds,
                            Map<String, Map<String, Long>> rejectsByStageReason, Map<String, Double> secondsByStep)
    implements SourceItem {

  /** One utterance a source gave: its id and the video it was cut from. */
  public record Cut(String utteranceId, String videoPath) implements java.io.Serializable {}

  public long utterances() {
    return cut.size();
  }

  /** The step of {@link #secondsByStep} that times the whole source, beside the media steps. */
  public static final String SOURCE_STEP = "source";

  /** Counts the items of one source as they pass, for its summary. */
  static final class Tally {
    private final List<Cut> cut = new ArrayList<>();
    private final Map<String, Map<String, Long>> rejects = new HashMap<>();

    <T extends SourceItem> T count(T item) {
      if (item instanceof UtteranceRecord u) cut.add(new Cut(u.utteranceId(), u.videoPath()));
      if (item instanceof Reject r) rejects.computeIfAbsent(r.stage(), s -> new HashMap<>()).merge(r.reason(), 1L, Long::sum);
      return item;
    }

    SourceSummary summary(boolean accepted, long lines, long candidates, double mediaSeconds,
                          Map<String, Double> secondsByStep) {
      return new SourceSummary(accepted, lines, candidates, List.copyOf(cut), mediaSeconds, rejects,
          Map.copyOf(secondsByStep));
    }
  }
}
