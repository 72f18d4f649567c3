package ai.mesm.io;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.config.SafeName;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Where each stage reads and writes (mesm.paths.*): any Hadoop URI or a local path, and the
 * folders of named runs under them ({@link Workspace} holds the layout inside a split).
 *
 * @param input the raw release root IngestJob reads
 * @param ingest IngestJob's output, SplitJob's input
 * @param split SplitJob's output, read by training, evaluation, sweeps and attention maps
 * @param models trained models, one folder per run name
 * @param reports results tables, curves, sweeps and attention maps, one folder per run
 * @param scores ScoreJob's output, one folder per model
 * @param checkpoints training checkpoints, one folder per run; blank = models/_checkpoints
 */
public record PathSettings(String input, String ingest, String split, String models, String reports, String scores,
                           String checkpoints) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.location(PATHS_INPUT, false),
        Rules.location(PATHS_INGEST, false),
        Rules.location(PATHS_SPLIT, false),
        Rules.location(PATHS_MODELS, false),
        Rules.location(PATHS_REPORTS, false),
        Rules.location(PATHS_SCORES, false),
        Rules.location(PATHS_CHECKPOINTS, true));
  }

  public static PathSettings of(MesmConfig config) {
    return new PathSettings(config.getString(PATHS_INPUT), config.getString(PATHS_INGEST),
        config.getString(PATHS_SPLIT), config.getString(PATHS_MODELS), config.getString(PATHS_REPORTS),
        config.getString(PATHS_SCORES), config.getString(PATHS_CHECKPOINTS));
  }

  /**
   * A run name resolves under paths.models; anything with a '/' or a scheme is taken as the model
   * folder itself. A bare name must be plain: "..", say, would name the folder above the models.
   */
  public String modelLocation(String nameOrUri) {
    if (nameOrUri.contains("/")) return nameOrUri;
    return new Path(models, SafeName.require("a model name", nameOrUri)).toString();
  }

  /** paths.checkpoints/&lt;run&gt;, by default paths.models/_checkpoints/&lt;run&gt; (beside, never inside, the model folder). */
  public String checkpointsLocation(String name) {
    String root = checkpoints.isBlank() ? new Path(models, "_checkpoints").toString() : checkpoints;
    return new Path(root, SafeName.require("a run name", name)).toString();
  }

  public String reportsLocation(String name) {
    return new Path(reports, SafeName.require("a report folder name", name)).toString();
  }
}
