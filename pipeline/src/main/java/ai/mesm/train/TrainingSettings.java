package ai.mesm.train;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.eval.Thresholds;
import java.util.List;
import java.util.Optional;

/**
 * How one training run proceeds (docs/computation.md#training), independent of where it runs.
 *
 * @param shuffleBuffer examples held in memory for shuffling the train split each epoch
 * @param cacheFraction the part of the heap that may keep the train and validation splits after their first pass
 * @param thresholdGrid candidate per-class thresholds tuned on validation
 */
public record TrainingSettings(int batchSize, int maxEpochs, int patience, int shuffleBuffer, double cacheFraction,
                               long seed, double[] thresholdGrid) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.atLeast(TRAIN_BATCH_SIZE, 1),
        Rules.atLeast(TRAIN_MAX_EPOCHS, 1),
        Rules.atLeast(TRAIN_PATIENCE, 1),
        Rules.atLeast(TRAIN_SHUFFLE_BUFFER, 1),
        Rules.between(TRAIN_CACHE_FRACTION, 0, 0.8),
        Rules.fraction(EVAL_THRESHOLD_FROM),
        Rules.fraction(EVAL_THRESHOLD_TO),
        new Rule(EVAL_THRESHOLD_TO, c -> c.getDouble(EVAL_THRESHOLD_TO) < c.getDouble(EVAL_THRESHOLD_FROM)
            ? Optional.of("must be >= " + EVAL_THRESHOLD_FROM) : Optional.empty()),
        new Rule(EVAL_THRESHOLD_STEP, c -> Rules.inOpen(c.getDouble(EVAL_THRESHOLD_STEP), 0, 1) ? Optional.empty()
            : Optional.of("must be in (0, 1), was " + c.getDouble(EVAL_THRESHOLD_STEP))));
  }

  public static TrainingSettings of(MesmConfig config) {
    return new TrainingSettings(config.getInt(TRAIN_BATCH_SIZE), config.getInt(TRAIN_MAX_EPOCHS),
        config.getInt(TRAIN_PATIENCE), config.getInt(TRAIN_SHUFFLE_BUFFER), config.getDouble(TRAIN_CACHE_FRACTION), config.getLong(SEED),
        Thresholds.grid(config.getDouble(EVAL_THRESHOLD_FROM), config.getDouble(EVAL_THRESHOLD_TO),
            config.getDouble(EVAL_THRESHOLD_STEP)));
  }
}
