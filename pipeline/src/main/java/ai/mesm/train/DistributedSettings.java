package ai.mesm.train;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.model.ModelSettings;

/**
 * Parameter averaging across Spark executors (train.spark.*): how many workers fit in parallel,
 * how many steps each takes between averagings, how many batches each prepares ahead.
 *
 * @param workers 0 = Spark's default parallelism
 * @param kernels the sparse kernels the executors' MESM models run on (mesm.model.mesm.kernels)
 */
public record DistributedSettings(int workers, int averagingFrequency, int prefetchBatches, boolean collectStats,
                                  String kernels) {

  public static DistributedSettings of(MesmConfig config) {
    return new DistributedSettings(config.getInt(TRAIN_SPARK_WORKERS), config.getInt(TRAIN_SPARK_AVERAGING_FREQUENCY),
        config.getInt(TRAIN_SPARK_PREFETCH), config.getBoolean(TRAIN_SPARK_STATS), ModelSettings.kernels(config));
  }
}
