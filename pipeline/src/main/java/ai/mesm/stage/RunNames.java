package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.model.Modality;
import java.util.List;
import java.util.Locale;

/** How training runs are named (io.Workspace knows where a named run's outputs live). */
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
}
