package ai.mesm.train;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.io.SparkSettings;
import ai.mesm.model.Kernels;
import ai.mesm.model.ModelSettings;
import java.util.List;

/**
 * Where training runs (train.mode) and, on Spark, parameter averaging across its executors
 * (train.spark.*): how many workers fit in parallel, how many steps each takes between averagings,
 * how many batches each prepares ahead.
 *
 * @param mode local | spark | auto, as configured: {@link #resolvedMode} says which
 * @param workers 0 = Spark's default parallelism
 * @param kernels the kernels the executors' models run on (mesm.model.mesm.kernels, mesm.model.cnn.kernels)
 */
public record DistributedSettings(String mode, int workers, int averagingFrequency, int prefetchBatches,
                                  boolean collectStats, Kernels kernels) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.oneOf(TRAIN_MODE, "auto", "local", "spark"),
        Rules.atLeast(TRAIN_SPARK_WORKERS, 0),
        Rules.atLeast(TRAIN_SPARK_AVERAGING_FREQUENCY, 1),
        Rules.atLeast(TRAIN_SPARK_PREFETCH, 0));
  }

  public static DistributedSettings of(MesmConfig config) {
    return new DistributedSettings(config.getString(TRAIN_MODE), config.getInt(TRAIN_SPARK_WORKERS),
        config.getInt(TRAIN_SPARK_AVERAGING_FREQUENCY), config.getInt(TRAIN_SPARK_PREFETCH),
        config.getBoolean(TRAIN_SPARK_STATS), ModelSettings.kernels(config));
  }

  /**
   * "local" or "spark": train.mode, where auto means Spark unless the master (mesm.spark.master, or
   * the one spark-submit set) is local[...] or absent.
   */
  public String resolvedMode(SparkSettings spark) {
    if (!mode.equals("auto")) return mode;
    String master = spark.master();
    if (master.isBlank()) master = System.getProperty("spark.master", "local");
    return master.startsWith("local") ? "local" : "spark";
  }
}
