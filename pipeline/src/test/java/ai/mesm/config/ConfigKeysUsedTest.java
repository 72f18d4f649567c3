package ai.mesm.config;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.PackageLayersTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A setting in reference.conf that no code reads is a promise the pipeline does not keep (the
 * removed mesm.model.mesm.blocks was validated and documented, and changed nothing): every key
 * must have a {@link ConfigKeys} constant, and that constant must be used by the code outside the
 * files that only declare, check or document the keys. A record's {@code rules()} (the range checks
 * of its keys) is no read either.
 */
class ConfigKeysUsedTest {
  /** Files that name every key without reading any. */
  private static final List<String> NOT_READERS = List.of("ai/mesm/config/ConfigKeys.java",
      "ai/mesm/config/ConfigRules.java", "ai/mesm/config/ConfigValidator.java", "ai/mesm/config/ConfigReference.java");

  @Test
  void everyKeyOfReferenceConfIsRead() throws IOException {
    assertTrue(ConfigLoader.reference().resolve().entrySet().size() > 50, "reference.conf was read");
    Map<String, String> unread = unread(ConfigLoader.reference().resolve(), constants(), ConfigKeys.FREE_FORM,
        sources(Path.of("src/main/java")));
    assertTrue(unread.isEmpty(), "keys of reference.conf that the code never reads (remove them, or read them):\n"
        + String.join("\n", unread.entrySet().stream().map(e -> "  " + e.getKey() + ": " + e.getValue()).toList()));
  }

  @Test
  void aKeyNobodyReadsIsFound() {
    Config reference = ConfigFactory.parseString(
        "mesm { read = 1, section { unread = 2, commented = 3, checked = 6 }, nameless = 4, open { \"spark.x\" = 5 } }");
    Map<String, String> constants = Map.of("READ", "mesm.read", "UNREAD", "mesm.section.unread",
        "COMMENTED", "mesm.section.commented", "OPEN", "mesm.open", "CHECKED", "mesm.section.checked");
    Map<String, String> sources = Map.of(
        "ai/mesm/a/Qualified.java", "class Qualified { int r = config.getInt(ConfigKeys.READ); }",
        "ai/mesm/b/Imported.java", "import static ai.mesm.config.ConfigKeys.*;\n"
            + "class Imported { Map m = config.sparkConf(OPEN); String s = \"UNREAD\"; } // COMMENTED\n",
        "ai/mesm/b/NotImported.java", "class NotImported { Object o = COMMENTED; Object p = ConfigKeys.UNREADX; }",
        "ai/mesm/config/ConfigRules.java", "class ConfigRules { Rule r = atLeast(ConfigKeys.UNREAD, 1); }",
        "ai/mesm/c/OnlyChecked.java", "record OnlyChecked() { static List<Rule> rules() { return List.of(\n"
            + "new Rule(ConfigKeys.CHECKED, c -> { return Optional.empty(); })); } int x = 0; }");
    assertEquals(Map.of(
            "mesm.section.unread", "ConfigKeys.UNREAD is never used",
            "mesm.section.checked", "ConfigKeys.CHECKED is never used",
            "mesm.section.commented", "ConfigKeys.COMMENTED is never used",
            "mesm.nameless", "no ConfigKeys constant"),
        unread(reference, constants, List.of("mesm.open"), sources));
  }

  /**
   * Each leaf key of {@code reference} (a free-form map counting as one) that has no constant, or
   * whose constants no source uses, with why.
   *
   * @param constants constant name to the key it holds
   * @param sources   path under the source root to the file's text
   */
  static Map<String, String> unread(Config reference, Map<String, String> constants, Collection<String> freeForm,
                                    Map<String, String> sources) {
    TreeSet<String> keys = new TreeSet<>();
    for (String key : reference.entrySet().stream().map(Map.Entry::getKey).toList()) {
      keys.add(freeForm.stream().filter(f -> key.startsWith(f + ".")).findFirst().orElse(key));
    }
    Map<String, String> code = new TreeMap<>();
    sources.forEach((path, text) -> {
      if (!NOT_READERS.contains(path)) code.put(path, withoutRules(PackageLayersTest.code(text)));
    });
    Map<String, String> out = new TreeMap<>();
    for (String key : keys) {
      List<String> names = constants.entrySet().stream().filter(e -> e.getValue().equals(key)).map(Map.Entry::getKey)
          .sorted().toList();
      if (names.isEmpty()) {
        out.put(key, "no ConfigKeys constant");
      } else if (names.stream().noneMatch(name -> code.values().stream().anyMatch(text -> uses(text, name)))) {
        out.put(key, String.join(", ", names.stream().map(n -> "ConfigKeys." + n).toList()) + " is never used");
      }
    }
    return out;
  }

  private static final Pattern RULES = Pattern.compile("List\\s*<\\s*Rule\\s*>\\s*rules\\s*\\(\\s*\\)\\s*\\{");

  /** The code without the bodies of {@code List<Rule> rules()} (comments and literals already blanked). */
  static String withoutRules(String code) {
    Matcher m = RULES.matcher(code);
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (m.find(from)) {
      int depth = 1;
      int i = m.end();
      while (i < code.length() && depth > 0) {
        char ch = code.charAt(i++);
        if (ch == '{') depth++;
        else if (ch == '}') depth--;
      }
      out.append(code, from, m.end());
      out.append(code.substring(m.end(), i).replaceAll("[^\\n]", " "));
      from = i;
    }
    return out.append(code.substring(from)).toString();
  }

  /** {@code ConfigKeys.NAME}, or a bare {@code NAME} where the file imports it statically. */
  private static boolean uses(String code, String name) {
    if (Pattern.compile("\\bConfigKeys\\s*\\.\\s*" + name + "\\b").matcher(code).find()) return true;
    boolean imported = Pattern.compile("import\\s+static\\s+ai\\.mesm\\.config\\.ConfigKeys\\s*\\.\\s*(\\*|" + name
        + ")\\s*;").matcher(code).find();
    return imported && Pattern.compile("(?<![\\w.])" + name + "\\b").matcher(code.replaceAll("import[^;]*;", ""))
        .find();
  }

  /** Each String constant of {@link ConfigKeys}: its name to the key it holds. */
  static Map<String, String> constants() {
    Map<String, String> out = new TreeMap<>();
    for (Field f : ConfigKeys.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          out.put(f.getName(), (String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  /** Each .java file under root: its path relative to root (with /) to its text. */
  static Map<String, String> sources(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        out.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
