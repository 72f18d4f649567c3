package ai.mesm.split;

import java.util.List;

/** The three parts of a dataset split, in this order everywhere (files, tables, weights). */
public enum Split {
  TRAIN, VALID, TEST;

  public static final List<Split> ALL = List.of(values());

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
