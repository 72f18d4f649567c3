package ai.mesm.train;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.io.SafeName;
import ai.mesm.model.Modality;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/** Where a training run's model, reports and checkpoints live: paths.models/&lt;run&gt;, paths.reports/&lt;run&gt;, paths.checkpoints/&lt;run&gt;. */
public final class RunNames {
  private RunNames() {}

  /** train.run-name, or "&lt;type&gt;-&lt;modalities&gt;" such as "fe2e-tav". */
  public static String runName(MesmConfig config) {
    String name = config.getString(TRAIN_RUN_NAME);
    if (!name.isBlank()) return name;
    return config.getString(MODEL_TYPE) + "-" + modalityCode(Modality.parse(config.getStringList(MODEL_MODALITIES)));
  }

  /** "tav" for T+A+V: how run names spell the modalities. */
  public static String modalityCode(List<Modality> modalities) {
    return Modality.label(modalities).replace("+", "").toLowerCase(Locale.ROOT);
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
