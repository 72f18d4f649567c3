package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.util.List;

/**
 * What AttentionMapJob draws (maps.*).
 *
 * @param model the MESM model id; blank = the run name the training settings give
 * @param utterances test utterance ids to draw, in this order; empty = the first {@code count} of test
 * @param stepsPerUtterance frames and chunks drawn per utterance, evenly spaced
 */
public record AttentionMapSettings(String model, List<String> utterances, int count, int stepsPerUtterance) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.atLeast(MAPS_COUNT, 1),
        Rules.atLeast(MAPS_STEPS, 1));
  }

  public static AttentionMapSettings of(MesmConfig config) {
    return new AttentionMapSettings(config.getString(MAPS_MODEL), List.copyOf(config.getStringList(MAPS_UTTERANCES)),
        config.getInt(MAPS_COUNT), config.getInt(MAPS_STEPS));
  }
}
