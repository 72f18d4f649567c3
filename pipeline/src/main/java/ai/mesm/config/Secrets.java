package ai.mesm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one redaction rule for everything that prints or records settings (--print-config, the
 * provenance in manifests and Parquet footers, training records, checkpoint identities): the
 * value of any key, at any depth, whose path names an access key, secret, session, token,
 * password or credential is replaced, and so is the user-info part of any URI value
 * ({@code s3a://KEY:SECRET@bucket/}). Jobs themselves read the unredacted settings.
 */
public final class Secrets {
  public static final String REDACTED = "<redacted>";
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(access[._-]?key|secret|session|token|password|passwd|credential).*");
  private static final Pattern URI_USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

  private Secrets() {}

  /** True when the value of this key (a config path or a Spark/Hadoop property name) must never be shown. */
  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** A string with the user info of every URI in it replaced. */
  public static String redactUris(String value) {
    return URI_USER_INFO.matcher(value).replaceAll("$1" + REDACTED + "@");
  }

  /** The configuration with every secret replaced by {@value #REDACTED}; everything else as it was. */
  public static Config redact(Config config) {
    Config out = config;
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      ConfigValue value = e.getValue();
      ConfigValue redacted = isSecretKey(e.getKey()) ? ConfigValueFactory.fromAnyRef(REDACTED, "redacted")
          : redactUris(value);
      if (redacted != value) out = out.withValue(e.getKey(), redacted);
    }
    return out;
  }

  /** The same value, or a copy with URI user info replaced (strings and lists of strings). */
  private static ConfigValue redactUris(ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      String s = (String) value.unwrapped();
      String r = redactUris(s);
      return r.equals(s) ? value : ConfigValueFactory.fromAnyRef(r, "redacted");
    }
    if (value.valueType() == ConfigValueType.LIST) {
      boolean changed = false;
      List<ConfigValue> items = new ArrayList<>();
      for (ConfigValue item : (ConfigList) value) {
        ConfigValue r = redactUris(item);
        changed |= r != item;
        items.add(r);
      }
      return changed ? ConfigValueFactory.fromIterable(items.stream().map(ConfigValue::unwrapped).toList(), "redacted")
          : value;
    }
    return value;
  }
}
