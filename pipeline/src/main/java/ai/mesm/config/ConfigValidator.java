package ai.mesm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.typesafe.config.ConfigOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a resolved configuration against reference.conf (every key known, every value of the
 * reference's type) and then against {@link ConfigRules} (ranges, consistency). All problems are
 * reported at once so that a user fixes a config file in one round.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  public static void validate(Config config, Config reference) {
    List<ConfigProblem> problems = new ArrayList<>();
    checkKeysAndTypes(config, reference, problems);
    // Range rules read typed values, which is only safe once the types are right.
    if (problems.isEmpty()) {
      for (Rule rule : ConfigRules.all()) {
        rule.apply(config).ifPresent(problems::add);
      }
    }
    if (!problems.isEmpty()) throw new InvalidConfigException(problems);
  }

  private static void checkKeysAndTypes(Config config, Config reference, List<ConfigProblem> problems) {
    for (Map.Entry<String, ConfigValue> entry : config.getConfig(ConfigKeys.ROOT).entrySet()) {
      String key = ConfigKeys.ROOT + "." + entry.getKey();
      if (isFreeForm(key) || reference.hasPathOrNull(key)) continue;
      if (ConfigKeys.REMOVED.containsKey(key)) {
        problems.add(new ConfigProblem(key, ConfigKeys.REMOVED.get(key) + origin(entry.getValue())));
        continue;
      }
      problems.add(new ConfigProblem(key, "unknown key" + origin(entry.getValue()) + suggestion(key, reference)));
    }
    for (Map.Entry<String, ConfigValue> entry : reference.getConfig(ConfigKeys.ROOT).entrySet()) {
      String key = ConfigKeys.ROOT + "." + entry.getKey();
      if (isFreeForm(key)) continue;
      typeProblem(config, key, entry.getValue()).filter(p -> !problems.contains(p)).ifPresent(problems::add);
    }
  }

  private static Optional<ConfigProblem> typeProblem(Config config, String key, ConfigValue expected) {
    if (!config.hasPathOrNull(key)) {
      return Optional.of(replacedSection(config, key));
    }
    ConfigValue actual = config.getValue(key);
    try {
      switch (expected.valueType()) {
        case NUMBER -> {
          Number n = config.getNumber(key);
          if (wholeInReference(expected) && n.doubleValue() != Math.rint(n.doubleValue())) {
            return problem(key, "expected a whole number, got " + render(actual));
          }
        }
        case BOOLEAN -> config.getBoolean(key);
        case STRING -> {
          if (actual.valueType() != ConfigValueType.STRING && actual.valueType() != ConfigValueType.NUMBER
              && actual.valueType() != ConfigValueType.BOOLEAN) {
            return problem(key, "expected a string, got " + describe(actual));
          }
        }
        case LIST -> {
          ConfigList list = config.getList(key);
          ConfigList reference = (ConfigList) expected;
          if (!reference.isEmpty()) {
            ConfigValueType element = reference.get(0).valueType();
            for (ConfigValue item : list) {
              if (!compatible(element, item)) {
                return problem(key, "expected a list of " + element.name().toLowerCase() + "s, got " + render(actual));
              }
            }
          }
        }
        case OBJECT -> config.getConfig(key);
        default -> { }
      }
    } catch (ConfigException.Null e) {
      return problem(key, "must not be null, expected " + article(expected.valueType()));
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      return problem(key, "expected " + article(expected.valueType()) + ", got " + describe(actual));
    }
    return Optional.empty();
  }

  /**
   * Whether a reference number is meant to be whole. HOCON parses "4.0" as the integer 4 and
   * forgets the text, so the line of reference.conf that set it is read back.
   */
  private static boolean wholeInReference(ConfigValue expected) {
    if (!(expected.unwrapped() instanceof Integer || expected.unwrapped() instanceof Long)) return false;
    String line = sourceLine(expected.origin());
    if (line == null || !line.contains("=")) return true;
    String value = line.substring(line.indexOf('=') + 1).replaceAll("#.*", "");
    return !value.matches(".*\\d[.eE].*");
  }

  private static final Map<URL, List<String>> SOURCES = new ConcurrentHashMap<>();

  private static String sourceLine(ConfigOrigin origin) {
    if (origin == null || origin.url() == null || origin.lineNumber() < 1) return null;
    List<String> lines = SOURCES.computeIfAbsent(origin.url(), url -> {
      try (InputStream in = url.openStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      } catch (IOException e) {
        return List.of();
      }
    });
    return origin.lineNumber() <= lines.size() ? lines.get(origin.lineNumber() - 1) : null;
  }

  /** A reference leaf is absent because one of its sections was given a plain value: blame that key. */
  private static ConfigProblem replacedSection(Config config, String key) {
    String prefix = key;
    while (prefix.contains(".")) {
      prefix = prefix.substring(0, prefix.lastIndexOf('.'));
      if (config.hasPathOrNull(prefix) && config.getValue(prefix).valueType() != ConfigValueType.OBJECT) {
        return new ConfigProblem(prefix, "expected a section of settings, got " + describe(config.getValue(prefix)));
      }
    }
    return new ConfigProblem(key, "is missing");
  }

  private static boolean compatible(ConfigValueType expected, ConfigValue item) {
    if (expected == item.valueType()) return true;
    if (expected == ConfigValueType.NUMBER && item.valueType() == ConfigValueType.STRING) {
      try {
        Double.parseDouble((String) item.unwrapped());
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return expected == ConfigValueType.STRING
        && (item.valueType() == ConfigValueType.NUMBER || item.valueType() == ConfigValueType.BOOLEAN);
  }

  private static Optional<ConfigProblem> problem(String key, String message) {
    return Optional.of(new ConfigProblem(key, message));
  }

  private static boolean isFreeForm(String key) {
    return ConfigKeys.FREE_FORM.stream().anyMatch(p -> key.equals(p) || key.startsWith(p + "."));
  }

  private static String article(ConfigValueType type) {
    return switch (type) {
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean (true/false)";
      case STRING -> "a string";
      case LIST -> "a list";
      case OBJECT -> "an object";
      case NULL -> "null";
    };
  }

  private static String describe(ConfigValue value) {
    return article(value.valueType()) + " " + render(value) + origin(value);
  }

  private static String render(ConfigValue value) {
    return value.render(com.typesafe.config.ConfigRenderOptions.concise());
  }

  private static String origin(ConfigValue value) {
    String description = value.origin() == null ? null : value.origin().description();
    return description == null ? "" : " (set in " + description + ")";
  }

  /** Points at the likely intended key when a user mistyped one segment (e.g. "frame-interval"). */
  private static String suggestion(String key, Config reference) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Map.Entry<String, ConfigValue> entry : reference.getConfig(ConfigKeys.ROOT).entrySet()) {
      String candidate = ConfigKeys.ROOT + "." + entry.getKey();
      int d = levenshtein(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(3, key.length() / 4) ? "; did you mean " + best + "?" : "";
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
