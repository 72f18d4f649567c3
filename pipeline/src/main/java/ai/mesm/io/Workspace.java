package ai.mesm.io;

import org.apache.hadoop.fs.Path;

/**
 * Where the stages' outputs live, in one place, so that a stage finds another's output without
 * reaching into that stage's code: the split's layout under paths.split here, and each training
 * run's paths.models/&lt;run&gt;, paths.reports/&lt;run&gt; and paths.checkpoints/&lt;run&gt; in
 * {@link PathSettings}.
 * (docs/data-format.md describes the files themselves.)
 */
public final class Workspace {
  /** Under a split root: the utterances partitioned by split=train|valid|test. */
  public static final String SPLIT_UTTERANCES = "utterances";
  public static final String SPLIT_REJECTS = "rejects";
  public static final String SPLIT_STATISTICS_CSV = "statistics.csv";
  public static final String SPLIT_STATISTICS_MD = "statistics.md";
  /** The loss's per-class positive weights counted on train. */
  public static final String SPLIT_CLASS_WEIGHTS = "class_weights.json";

  private Workspace() {}

  /** The Parquet folder of one part of a split ("train", "valid", "test"). */
  public static String splitPart(String splitRoot, String part) {
    return new Path(new Path(splitRoot, SPLIT_UTTERANCES), "split=" + part).toString();
  }
}
