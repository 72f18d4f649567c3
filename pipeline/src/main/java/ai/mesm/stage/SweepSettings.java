package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.util.List;
import java.util.Optional;

/**
 * The top-p sweep (sweep.*): one MESM per value, and the FE2E it is drawn against.
 *
 * @param name the sweep's report name; blank = top-p-&lt;modalities&gt;
 * @param fe2eReference a trained FE2E model id, "train" to train one, or "none"
 * @param reuseTrained evaluate a model already trained with the same settings on the same split again
 */
public record SweepSettings(List<Double> topP, String name, String fe2eReference, boolean reuseTrained) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        new Rule(SWEEP_TOP_P, c -> {
          List<Double> ps = c.getDoubleList(SWEEP_TOP_P);
          if (ps.isEmpty()) return Optional.of("must name at least one value");
          if (ps.stream().anyMatch(p -> !(p > 0 && p <= 1))) return Optional.of("values must be in (0, 1], were " + ps);
          return ps.stream().distinct().count() == ps.size() ? Optional.empty() : Optional.of("values repeat: " + ps);
        }),
        Rules.folderName(SWEEP_NAME));
  }

  public static SweepSettings of(MesmConfig config) {
    return new SweepSettings(List.copyOf(config.getDoubleList(SWEEP_TOP_P)), config.getString(SWEEP_NAME),
        config.getString(SWEEP_FE2E_REFERENCE), config.getBoolean(SWEEP_REUSE_TRAINED));
  }
}
