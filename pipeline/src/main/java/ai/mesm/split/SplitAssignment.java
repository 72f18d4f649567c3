package ai.mesm.split;

import ai.mesm.ingest.Reject;
import java.util.List;
import java.util.Map;

/**
 * Which split each utterance goes to, what could not be assigned (as rejects), and how the split
 * was decided (for provenance: a seed, or the checksums of the list files).
 */
public record SplitAssignment(Map<String, Split> splits, List<Reject> rejects, Map<String, String> provenance) {}
