package ai.mesm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the effective configuration with one precedence for every job: command-line
 * {@code key=value} overrides, then {@code --config} files (a later file wins over an earlier
 * one), then reference.conf. The result is resolved and validated.
 */
public final class ConfigLoader {
  private static final Pattern LITERAL = Pattern.compile(
      "-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|null|\\[.*]|\\{.*}", Pattern.DOTALL);

  private ConfigLoader() {}

  /** The defaults alone (reference.conf of this library). */
  public static Config reference() {
    return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  public static MesmConfig load(List<File> files, Map<String, String> overrides) {
    Config reference = reference();
    Config merged = reference;
    for (File file : files) {
      if (!file.isFile()) throw new InvalidConfigException("--config", "file not found: " + file);
      try {
        merged = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(merged);
      } catch (ConfigException e) {
        throw new InvalidConfigException("--config", "cannot parse " + file + ": " + e.getMessage());
      }
    }
    merged = parseOverrides(overrides).withFallback(merged);
    Config resolved;
    try {
      // Environment variables may fill ${?VAR} holes (e.g. S3 endpoints in cluster configs).
      resolved = merged.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
    } catch (ConfigException.UnresolvedSubstitution e) {
      throw new InvalidConfigException("substitution", e.getMessage());
    }
    ConfigValidator.validate(resolved, reference.resolve());
    return new MesmConfig(resolved);
  }

  /** Overrides as a config layer; keys may omit the {@code mesm.} prefix. */
  static Config parseOverrides(Map<String, String> overrides) {
    Config layer = ConfigFactory.empty("command line");
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String key = e.getKey().startsWith(ConfigKeys.ROOT + ".") ? e.getKey() : ConfigKeys.ROOT + "." + e.getKey();
      try {
        layer = layer.withValue(key, parseValue(e.getValue()));
      } catch (ConfigException ex) {
        String shown = Secrets.isSecretKey(key) ? Secrets.REDACTED : e.getValue();
        throw new InvalidConfigException(key, "cannot parse command-line value \"" + shown + "\""
            + (Secrets.isSecretKey(key) ? "" : ": " + ex.getMessage()));
      }
    }
    return layer;
  }

  /**
   * Numbers, booleans, lists and objects are read as HOCON; anything else is taken as a plain
   * string, because HOCON would cut an unquoted URI such as s3a://bucket/x at its "//".
   */
  private static ConfigValue parseValue(String raw) {
    String value = raw.trim();
    if (LITERAL.matcher(value).matches()) {
      Config parsed = ConfigFactory.parseString("v = " + value,
          ConfigParseOptions.defaults().setOriginDescription("command line"));
      return parsed.getValue("v");
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return ConfigValueFactory.fromAnyRef(value, "command line");
  }
}
