package ai.mesm.config;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The range checks live beside the records that read their keys and are gathered by
 * {@link ConfigRules} (through ai.mesm.stage.SettingsRules): each key is checked by one record
 * only, and every rule names a key of reference.conf.
 */
class ConfigRulesTest {
  @Test
  void eachKeyIsCheckedByOneRecord() {
    Map<Class<?>, List<Rule>> byReader = ConfigRules.byReader();
    assertTrue(byReader.size() > 10, "the records' rules were found: " + byReader.keySet());
    Map<String, TreeSet<String>> readers = new TreeMap<>();
    byReader.forEach((reader, rules) -> rules.forEach(
        rule -> readers.computeIfAbsent(rule.key(), k -> new TreeSet<>()).add(reader.getSimpleName())));
    List<String> twice = readers.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .map(e -> e.getKey() + " in " + e.getValue()).toList();
    assertTrue(twice.isEmpty(), "keys range-checked by more than one record:\n  " + String.join("\n  ", twice));
  }

  @Test
  void everyRuleNamesAKeyOfReferenceConf() {
    Config reference = ConfigLoader.reference().resolve();
    List<String> unknown = new ArrayList<>();
    ConfigRules.byReader().forEach((reader, rules) -> rules.stream().map(Rule::key)
        .filter(key -> !reference.hasPathOrNull(key)).forEach(key -> unknown.add(key + " in " + reader.getSimpleName())));
    assertTrue(unknown.isEmpty(), "rules on keys that reference.conf does not have: " + unknown);
  }

  @Test
  void allIsEveryRecordsRulesInOrder() {
    List<Rule> expected = new ArrayList<>();
    ConfigRules.byReader().values().forEach(expected::addAll);
    assertEquals(expected, ConfigRules.all());
    assertTrue(ConfigRules.all().stream().noneMatch(r -> r.apply(ConfigLoader.reference().resolve()).isPresent()),
        "reference.conf passes every rule");
  }
}
