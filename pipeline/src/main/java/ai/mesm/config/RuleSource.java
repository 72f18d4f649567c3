package ai.mesm.config;

import java.util.List;
import java.util.Map;

/**
 * Names the settings records that declare {@link Rule}s, for {@link ConfigRules} to gather. The
 * records live in packages above this one, which it may not name, so one implementation in the top
 * layer (ai.mesm.stage.SettingsRules) lists them and is found with {@link java.util.ServiceLoader}
 * (META-INF/services/ai.mesm.config.RuleSource): every load and every {@link MesmConfig#with} is
 * validated, whoever calls it.
 */
public interface RuleSource {
  /** Each record (or holder) that reads keys, with the rules on those keys, in the order they are checked. */
  Map<Class<?>, List<Rule>> rulesByReader();
}
