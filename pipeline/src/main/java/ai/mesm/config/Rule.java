package ai.mesm.config;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.function.Function;

/**
 * A range or consistency check on an already type-checked configuration, declared by the settings
 * record that reads {@code key} (helpers in {@link Rules}). {@code check} returns the problem
 * text, or empty when the value is acceptable.
 */
public record Rule(String key, Function<Config, Optional<String>> check) {

  Optional<ConfigProblem> apply(Config config) {
    return check.apply(config).map(message -> new ConfigProblem(key, message));
  }
}
