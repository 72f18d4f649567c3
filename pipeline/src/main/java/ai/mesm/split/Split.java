package ai.mesm.split;

import ai.mesm.io.Workspace;
import java.util.List;

/** The three parts of a dataset split, in this order everywhere (files, tables, weights). */
public enum Split {
  TRAIN, VALID, TEST;

  public static final List<Split> ALL = List.of(values());

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** This part's Parquet folder under a split output. */
  public String folderIn(String splitRoot) {
    return Workspace.splitPart(splitRoot, code());
  }
}
