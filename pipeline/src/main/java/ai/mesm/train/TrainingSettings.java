package ai.mesm.train;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.eval.Thresholds;

/**
 * How one training run proceeds (docs/computation.md#training), independent of where it runs.
 *
 * @param shuffleBuffer examples held in memory for shuffling the train split each epoch
 * @param thresholdGrid candidate per-class thresholds tuned on validation
 */
public record TrainingSettings(int batchSize, int maxEpochs, int patience, int shuffleBuffer, long seed,
                               double[] thresholdGrid) {

  public static TrainingSettings of(MesmConfig config) {
    return new TrainingSettings(config.getInt(TRAIN_BATCH_SIZE), config.getInt(TRAIN_MAX_EPOCHS),
        config.getInt(TRAIN_PATIENCE), config.getInt(TRAIN_SHUFFLE_BUFFER), config.getLong(SEED),
        Thresholds.grid(config.getDouble(EVAL_THRESHOLD_FROM), config.getDouble(EVAL_THRESHOLD_TO),
            config.getDouble(EVAL_THRESHOLD_STEP)));
  }
}
