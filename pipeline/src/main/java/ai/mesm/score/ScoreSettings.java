package ai.mesm.score;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import java.io.Serializable;
import java.util.List;

/**
 * score.* settings, in the form executors receive them.
 *
 * @param model a run name under paths.models or a model folder URI; blank = the configured run
 */
public record ScoreSettings(String input, String model, String segments, List<String> extensions, double windowS,
                            double hopS, double minWindowS, String format, String mode, int batchSize)
    implements Serializable {

  public static ScoreSettings of(MesmConfig c) {
    return new ScoreSettings(c.getString(SCORE_INPUT), c.getString(SCORE_MODEL), c.getString(SCORE_SEGMENTS),
        List.copyOf(c.getStringList(SCORE_EXTENSIONS)), c.getDouble(SCORE_WINDOW_S), c.getDouble(SCORE_HOP_S),
        c.getDouble(SCORE_MIN_WINDOW_S), c.getString(SCORE_FORMAT), c.getString(SCORE_MODE), c.getInt(SCORE_BATCH_SIZE));
  }
}
