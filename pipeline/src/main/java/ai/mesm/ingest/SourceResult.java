package ai.mesm.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * What ingesting one dialog/video produced: rows, rejects, and the counts that the accounting
 * needs beyond the rejects themselves.
 *
 * @param lines      annotation lines read (transcript, evaluation; MOSEI label rows are counted by the driver)
 * @param candidates utterance ids the annotation files name
 */
public record SourceResult(String sourceId, boolean sourceAccepted, List<UtteranceRecord> utterances,
                           List<Reject> rejects, long lines, long candidates, double mediaSeconds)
    implements Serializable {}
