package ai.mesm.train;

import ai.mesm.model.EmotionModel;
import java.io.IOException;

/** One epoch of optimisation over the train split, wherever it runs (this JVM or Spark executors). */
@FunctionalInterface
public interface EpochTrainer {
  /** Fits {@code model} on one pass over the train split in the order of {@code epoch}; returns the mean train loss. */
  double trainEpoch(EmotionModel model, int epoch) throws IOException;
}
