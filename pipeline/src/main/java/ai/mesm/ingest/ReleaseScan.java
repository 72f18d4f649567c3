package ai.mesm.ingest;

import java.util.List;

/**
 * A raw release as found on storage: one work unit per dialog/video, the rejects the driver
 * already decided (malformed label rows, labels of videos that have no files, second files of one
 * dialog), and the counts of label rows, label-only clips and such files for the accounting.
 */
public record ReleaseScan(List<WorkUnit> units, List<Reject> rejects, long labelFiles, long labelRows,
                          long orphanClips, List<String> files, long bytes, long duplicateFiles) {
  public ReleaseScan(List<WorkUnit> units, List<Reject> rejects, long labelFiles, long labelRows, long orphanClips,
                     List<String> files, long bytes) {
    this(units, rejects, labelFiles, labelRows, orphanClips, files, bytes, 0);
  }
}
