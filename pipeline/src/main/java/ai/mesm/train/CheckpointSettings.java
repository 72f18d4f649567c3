package ai.mesm.train;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;

/**
 * How often a training run keeps its state, and how much of it (train.checkpoint-every,
 * train.checkpoint-keep); where is paths.checkpoints ({@link ai.mesm.io.PathSettings#checkpointsLocation}).
 *
 * @param every a checkpoint every this many epochs; 0 = none
 * @param keep checkpoints kept per run, the newest
 */
public record CheckpointSettings(int every, int keep) {

  public static CheckpointSettings of(MesmConfig config) {
    return new CheckpointSettings(config.getInt(TRAIN_CHECKPOINT_EVERY), config.getInt(TRAIN_CHECKPOINT_KEEP));
  }
}
