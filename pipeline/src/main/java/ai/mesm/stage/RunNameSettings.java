package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSettings;
import java.util.List;
import java.util.Locale;

/**
 * How the configured training run is named (train.run-name, else from model.type and
 * model.modalities): the model TrainJob writes, and the one the other stages read when they are
 * given none. ({@link ai.mesm.io.PathSettings} knows where a named run's outputs live.)
 *
 * @param runName train.run-name; blank = {@link #name} derives one
 */
public record RunNameSettings(String runName, String type, List<Modality> modalities) {
  public RunNameSettings {
    modalities = List.copyOf(modalities);
  }

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.folderName(TRAIN_RUN_NAME));
  }

  public static RunNameSettings of(MesmConfig config) {
    return new RunNameSettings(config.getString(TRAIN_RUN_NAME), ModelSettings.type(config),
        ModelSettings.modalities(config));
  }

  /** train.run-name, or "&lt;type&gt;-&lt;modalities&gt;" such as "fe2e-tav". */
  public String name() {
    if (!runName.isBlank()) return runName;
    return type + "-" + modalityCode(modalities);
  }

  /** "tav" for T+A+V: how run names spell the modalities. */
  public static String modalityCode(List<Modality> modalities) {
    return Modality.label(modalities).replace("+", "").toLowerCase(Locale.ROOT);
  }
}
