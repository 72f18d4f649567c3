package ai.mesm.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Ranges and cross-key consistency of the settings (types are checked against reference.conf).
 * Each settings record declares the rules of the keys it reads ({@code static List<Rule> rules()});
 * this class only gathers them through the {@link RuleSource}s on the class path. No rule spans
 * two records today; one that did would be kept here, with why.
 */
final class ConfigRules {
  private ConfigRules() {}

  private static volatile Map<Class<?>, List<Rule>> byReader;

  static List<Rule> all() {
    List<Rule> rules = new ArrayList<>();
    byReader().values().forEach(rules::addAll);
    return rules;
  }

  /** Each reader with its rules, in the order the sources list them. */
  static Map<Class<?>, List<Rule>> byReader() {
    Map<Class<?>, List<Rule>> out = byReader;
    if (out == null) {
      Map<Class<?>, List<Rule>> gathered = new LinkedHashMap<>();
      for (RuleSource source : ServiceLoader.load(RuleSource.class, ConfigRules.class.getClassLoader())) {
        source.rulesByReader().forEach((reader, rules) -> {
          if (gathered.putIfAbsent(reader, List.copyOf(rules)) != null) {
            throw new IllegalStateException("two rule sources list " + reader.getName());
          }
        });
      }
      // Without a source nothing would be range-checked: refuse rather than accept every value.
      if (gathered.isEmpty()) {
        throw new IllegalStateException("no " + RuleSource.class.getName() + " on the class path (META-INF/services)");
      }
      out = Collections.unmodifiableMap(gathered);
      byReader = out;
    }
    return out;
  }
}
