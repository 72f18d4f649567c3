package ai.mesm.train;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.util.List;

/**
 * How often a training run keeps its state, and how much of it (train.checkpoint-every,
 * train.checkpoint-keep); where is paths.checkpoints ({@link ai.mesm.io.PathSettings#checkpointsLocation}).
 *
 * @param every a checkpoint every this many epochs; 0 = none
 * @param keep checkpoints kept per run, the newest
 */
public record CheckpointSettings(int every, int keep) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.atLeast(TRAIN_CHECKPOINT_EVERY, 0),
        Rules.atLeast(TRAIN_CHECKPOINT_KEEP, 1));
  }

  public static CheckpointSettings of(MesmConfig config) {
    return new CheckpointSettings(config.getInt(TRAIN_CHECKPOINT_EVERY), config.getInt(TRAIN_CHECKPOINT_KEEP));
  }
}
