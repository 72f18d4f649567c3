package ai.mesm.score;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * score.* settings, in the form executors receive them.
 *
 * @param model a run name under paths.models or a model folder URI; blank = the configured run
 */
public record ScoreSettings(String input, String model, String segments, List<String> extensions, double windowS,
                            double hopS, double minWindowS, String format, String mode, int batchSize)
    implements Serializable {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.location(SCORE_INPUT, true),
        Rules.location(SCORE_SEGMENTS, true),
        Rules.positive(SCORE_WINDOW_S),
        Rules.positive(SCORE_HOP_S),
        new Rule(SCORE_MIN_WINDOW_S, c -> c.getDouble(SCORE_MIN_WINDOW_S) > c.getDouble(SCORE_WINDOW_S)
            ? Optional.of("must be <= " + SCORE_WINDOW_S) : Optional.empty()),
        Rules.oneOf(SCORE_FORMAT, "csv", "jsonl"),
        Rules.oneOf(SCORE_MODE, "resume", "overwrite"),
        Rules.atLeast(SCORE_BATCH_SIZE, 1),
        new Rule(SCORE_EXTENSIONS, c -> c.getStringList(SCORE_EXTENSIONS).isEmpty()
            ? Optional.of("must name at least one video file extension") : Optional.empty()));
  }

  public static ScoreSettings of(MesmConfig c) {
    return new ScoreSettings(c.getString(SCORE_INPUT), c.getString(SCORE_MODEL), c.getString(SCORE_SEGMENTS),
        List.copyOf(c.getStringList(SCORE_EXTENSIONS)), c.getDouble(SCORE_WINDOW_S), c.getDouble(SCORE_HOP_S),
        c.getDouble(SCORE_MIN_WINDOW_S), c.getString(SCORE_FORMAT), c.getString(SCORE_MODE), c.getInt(SCORE_BATCH_SIZE));
  }
}
