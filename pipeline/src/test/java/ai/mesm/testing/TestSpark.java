package ai.mesm.testing;

import ai.mesm.config.MesmConfig;
import ai.mesm.io.SparkSettings;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A small local Spark for tests: two cores, no UI, bound to loopback, with the product's default
 * mesm.spark.conf entries (reference.conf) under the test's own.
 */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession start(Map<String, String> extra) {
    SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("mesm-test");
    SparkSettings.of(MesmConfig.defaults()).conf().forEach(b::config);
    b.config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2");
    extra.forEach(b::config);
    return b.getOrCreate();
  }
}
