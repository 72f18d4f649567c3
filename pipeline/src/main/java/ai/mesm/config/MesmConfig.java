package ai.mesm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated configuration of one job run. Serializable (as its rendered text) so that
 * executors see exactly what the driver validated; that text keeps secrets (jobs need them), so it
 * is never written anywhere: outputs and logs get {@link #render} or {@link #canonicalJson}.
 */
public final class MesmConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Config config;
  private final String rendered;

  MesmConfig(Config config) {
    this.config = config;
    this.rendered = config.getConfig(ConfigKeys.ROOT).atPath(ConfigKeys.ROOT).root()
        .render(ConfigRenderOptions.concise());
  }

  /** Defaults only, validated: what a job sees with no --config and no overrides. */
  public static MesmConfig defaults() {
    return ConfigLoader.load(java.util.List.of(), Map.of());
  }

  /**
   * These settings with some keys replaced (same syntax as command-line overrides), validated
   * again: how one job derives the configuration of each run it launches (e.g. a top-p sweep).
   */
  public MesmConfig with(Map<String, String> overrides) {
    Config merged = ConfigLoader.parseOverrides(overrides).withFallback(raw());
    ConfigValidator.validate(merged, ConfigLoader.reference().resolve());
    return new MesmConfig(merged);
  }

  public Config raw() {
    if (config == null) config = com.typesafe.config.ConfigFactory.parseString(rendered);
    return config;
  }

  public String getString(String key) {
    return raw().getString(key);
  }

  public int getInt(String key) {
    return raw().getInt(key);
  }

  public long getLong(String key) {
    return raw().getLong(key);
  }

  public double getDouble(String key) {
    return raw().getDouble(key);
  }

  public boolean getBoolean(String key) {
    return raw().getBoolean(key);
  }

  public java.util.List<String> getStringList(String key) {
    return raw().getStringList(key);
  }

  public java.util.List<Double> getDoubleList(String key) {
    return raw().getDoubleList(key);
  }

  /** The free-form Spark/Hadoop settings, flattened to "spark.x.y" = "value". */
  public Map<String, String> sparkConf() {
    Map<String, String> out = new LinkedHashMap<>();
    Config spark = raw().getConfig(ConfigKeys.SPARK_CONF);
    spark.entrySet().forEach(e -> out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    return out;
  }

  /** The effective settings as HOCON for logs and --print-config, secrets redacted ({@link Secrets}). */
  public String render() {
    return Secrets.redact(raw()).getConfig(ConfigKeys.ROOT).atPath(ConfigKeys.ROOT).root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  /** {@link #canonicalJson} without some subtrees (e.g. where a run executes, which does not change what it computes). */
  public String canonicalJsonWithout(java.util.List<String> paths) {
    Config c = raw();
    for (String p : paths) c = c.withoutPath(p);
    return Secrets.redact(c).getConfig(ConfigKeys.ROOT).atPath(ConfigKeys.ROOT).root()
        .render(ConfigRenderOptions.concise());
  }

  /**
   * Stable text of the settings (JSON) for provenance records and fingerprints, secrets redacted:
   * everything that records settings in an output goes through here or {@link #render}.
   */
  public String canonicalJson() {
    return canonicalJsonWithout(java.util.List.of());
  }
}
