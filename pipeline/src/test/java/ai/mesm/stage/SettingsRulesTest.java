package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A record that declares range checks ({@code public static List<Rule> rules()}) but is missing
 * from {@link SettingsRules} would have its checks silently skipped: every such class is listed.
 */
class SettingsRulesTest {
  @Test
  void everyClassDeclaringRulesIsListed() throws IOException {
    List<String> declaring;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      declaring = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
        try {
          return Files.readString(f).contains("public static List<Rule> rules()");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).map(f -> f.getFileName().toString().replace(".java", "")).sorted().toList();
    }
    assertTrue(declaring.size() > 10, "found the records: " + declaring);
    List<String> listed = new SettingsRules().rulesByReader().keySet().stream().map(Class::getSimpleName).sorted().toList();
    assertEquals(declaring, listed, "classes declaring rules() vs those SettingsRules lists");
  }
}
