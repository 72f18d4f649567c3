package ai.mesm.ingest;

import java.io.Serializable;

/**
 * What ingesting a source produces, one item at a time: its utterances, its rejects, and last its
 * {@link SourceSummary} (the counts the accounting needs). Ingest's Spark job streams these from
 * the media cutter and takes the three kinds apart from one persisted dataset, so no task ever
 * holds all the utterances of a source.
 */
public sealed interface SourceItem extends Serializable permits UtteranceRecord, Reject, SourceSummary {}
