package ai.mesm.io;

import ai.mesm.config.MesmConfig;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a job: the master from mesm.spark.master, else the one spark-submit gave,
 * else local[*]; every mesm.spark.conf entry applied. Local masters bind to 127.0.0.1 so that a
 * laptop's or CI machine's external address is never used.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(MesmConfig config) {
    return SparkSession.builder().config(conf(config)).getOrCreate();
  }

  /** The settings {@link #create} starts the session with. */
  public static SparkConf conf(MesmConfig config) {
    SparkSettings settings = SparkSettings.of(config);
    SparkConf conf = new SparkConf();
    String master = settings.master();
    if (!master.isBlank()) conf.setMaster(master);
    else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
    conf.setIfMissing("spark.app.name", settings.appName());
    for (Map.Entry<String, String> e : settings.conf().entrySet()) conf.set(e.getKey(), e.getValue());
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    NioLocalFileSystem.offerTo(conf);
    return conf;
  }
}
