package ai.mesm.io;

import ai.mesm.config.MesmConfig;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * A job's SparkSession, started on first use and stopped by the job that made it. For the stages
 * that need Spark only in some settings (training in this JVM needs none), so that the job still
 * owns the session and a local run never starts one.
 */
public final class LazySparkSession implements Supplier<SparkSession>, AutoCloseable {
  private final MesmConfig config;
  private SparkSession spark;

  public LazySparkSession(MesmConfig config) {
    this.config = config;
  }

  @Override
  public synchronized SparkSession get() {
    if (spark == null) spark = SparkSessions.create(config);
    return spark;
  }

  @Override
  public synchronized void close() {
    if (spark != null) spark.stop();
    spark = null;
  }
}
