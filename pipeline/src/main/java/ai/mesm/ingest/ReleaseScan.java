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

  /** Each file's size in bytes, by its path (from {@link #files}: path, size and modification time, tab-separated). */
  public java.util.Map<String, Long> sizes() {
    java.util.Map<String, Long> sizes = new java.util.HashMap<>();
    for (String f : files) {
      int time = f.lastIndexOf('\t');
      int size = f.lastIndexOf('\t', time - 1);
      if (size > 0) sizes.put(f.substring(0, size), Long.parseLong(f.substring(size + 1, time)));
    }
    return sizes;
  }
}
