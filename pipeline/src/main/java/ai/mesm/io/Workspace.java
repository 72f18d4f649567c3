package ai.mesm.io;

import static ai.mesm.config.ConfigKeys.PATHS_CHECKPOINTS;
import static ai.mesm.config.ConfigKeys.PATHS_MODELS;
import static ai.mesm.config.ConfigKeys.PATHS_REPORTS;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.SafeName;
import org.apache.hadoop.fs.Path;

/**
 * Where the stages' outputs live, in one place, so that a stage finds another's output without
 * reaching into that stage's code: the split's layout under paths.split, and each training run's
 * paths.models/&lt;run&gt;, paths.reports/&lt;run&gt; and paths.checkpoints/&lt;run&gt;.
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

  /**
   * A run name resolves under paths.models; anything with a '/' or a scheme is taken as the model
   * folder itself. A bare name must be plain: "..", say, would name the folder above the models.
   */
  public static String modelLocation(MesmConfig config, String nameOrUri) {
    if (nameOrUri.contains("/")) return nameOrUri;
    return new Path(config.getString(PATHS_MODELS), SafeName.require("a model name", nameOrUri)).toString();
  }

  /** paths.checkpoints/&lt;run&gt;, by default paths.models/_checkpoints/&lt;run&gt; (beside, never inside, the model folder). */
  public static String checkpointsLocation(MesmConfig config, String name) {
    String root = config.getString(PATHS_CHECKPOINTS);
    if (root.isBlank()) root = new Path(config.getString(PATHS_MODELS), "_checkpoints").toString();
    return new Path(root, SafeName.require("a run name", name)).toString();
  }

  public static String reportsLocation(MesmConfig config, String name) {
    return new Path(config.getString(PATHS_REPORTS), SafeName.require("a report folder name", name)).toString();
  }
}
