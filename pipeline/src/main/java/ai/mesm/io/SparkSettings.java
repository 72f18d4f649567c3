package ai.mesm.io;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark of a job (mesm.spark.*): {@link SparkSessions} builds the session from it,
 * {@link HadoopFiles#hadoopConf} the driver's Hadoop settings.
 *
 * @param master blank = the master spark-submit gave, or local[*] when there is none
 * @param conf the free-form mesm.spark.conf entries, flattened to "spark.x.y" = "value", in their order
 */
public record SparkSettings(String master, String appName, Map<String, String> conf) {
  public SparkSettings {
    conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
  }

  public static SparkSettings of(MesmConfig config) {
    return new SparkSettings(config.getString(SPARK_MASTER), config.getString(SPARK_APP_NAME), config.sparkConf());
  }
}
