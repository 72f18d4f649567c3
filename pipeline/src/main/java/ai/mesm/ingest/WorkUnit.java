package ai.mesm.ingest;

import ai.mesm.data.DatasetKind;
import java.io.Serializable;
import java.util.List;

/**
 * One dialog (IEMOCAP) or video (MOSEI) with the locations of its files, shipped to an executor.
 * MOSEI label rows live in shared batch files, so the driver reads them once and attaches each
 * video's aggregated labels here.
 *
 * @param audio      the wav, or null (MOSEI then takes audio from the video)
 * @param evaluation IEMOCAP EmoEvaluation file, null for MOSEI
 * @param clipLabels MOSEI: per clip, the summed intensities of its annotators (empty for IEMOCAP)
 */
public record WorkUnit(DatasetKind dataset, String sourceId, String video, String audio, String transcript,
                       String evaluation, List<ClipLabels> clipLabels) implements Serializable {

  /** The annotator rows of one MOSEI clip, summed per emotion (docs/computation.md#classes: present iff sum > 0). */
  public record ClipLabels(int clip, List<Integer> sums, int rows, String sourcePath) implements Serializable {}

  public WorkUnit {
    clipLabels = clipLabels == null ? List.of() : List.copyOf(clipLabels);
  }
}
