package ai.mesm.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each setting is read and typed in one place: a settings record of its area (a file named
 * {@code *Settings.java}, e.g. PathSettings, TrainingSettings) or one of {@link #HOLDERS}. Any
 * other class of the pipeline or the jobs that reads a key from a {@link MesmConfig} or a Typesafe
 * {@code Config} (a typed getter with a key, {@code raw()}'s getters, {@code sparkConf()}) fails
 * here, naming the file and line: read the key in the record of its area and pass the record down.
 * The config package itself (loading, validation, rendering) is exempt.
 */
class SettingsReadersTest {
  /** Readers whose name does not end in Settings, each with why it holds a setting. */
  static final Map<String, String> HOLDERS = Map.of(
      "ai/mesm/media/VisualNormalisation.java", "the face crops' normalisation is its own record (mesm.media."
          + "visual-normalisation.*), with reference.conf's values for code that has no configuration",
      "ai/mesm/data/DatasetKind.java", "the enum is the typed value of mesm.dataset: DatasetKind.of(config) is "
          + "that key's one reader");

  /** Roots scanned, as seen from the pipeline module (where the tests run). */
  private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("../jobs/src/main/java"));

  /** MesmConfig's getters and Typesafe Config's: each reads the key it is given. */
  private static final String GETTERS = "getString|getInt|getLong|getDouble|getBoolean|getNumber|getStringList"
      + "|getDoubleList|getIntList|getLongList|getBooleanList|getNumberList|getBytes|getBytesList|getMemorySize"
      + "|getMemorySizeList|getDuration|getDurationList|getPeriod|getTemporal|getEnum|getEnumList|getConfig"
      + "|getConfigList|getObject|getObjectList|getList|getAnyRef|getAnyRefList|getValue|getIsNull|hasPath"
      + "|hasPathOrNull";
  private static final Pattern CALL = Pattern.compile(
      "([\\w$]+(?:\\s*\\(\\s*\\))?)\\s*\\.\\s*(" + GETTERS + ")\\s*\\(\\s*([^,()]*)");
  /** mesm.spark.conf, read whole. */
  private static final Pattern SPARK_CONF = Pattern.compile("\\.\\s*sparkConf\\s*\\(\\s*\\)");
  /** A variable, parameter or field that holds a configuration: any getter on it is a read. */
  private static final Pattern DECLARED = Pattern.compile(
      "(?<![\\w.])(?:ai\\.mesm\\.config\\.MesmConfig|MesmConfig|com\\.typesafe\\.config\\.Config|Config)\\s+([a-zA-Z_$][\\w$]*)");
  /** What a key literal ("mesm. ...") becomes in {@link #code}: other literals become "". */
  private static final String KEY_LITERAL = "\"mesm\"";

  @Test
  void onlySettingsRecordsReadKeys() throws IOException {
    Map<String, String> sources = new TreeMap<>();
    for (Path root : ROOTS) {
      assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " is missing");
      ConfigKeysUsedTest.sources(root).forEach((path, text) -> sources.put(root + "/" + path, text));
    }
    for (String holder : HOLDERS.keySet()) {
      assertTrue(sources.containsKey("src/main/java/" + holder), "HOLDERS names " + holder + ", which is gone");
    }
    List<String> raw = rawReads(sources, ConfigKeysUsedTest.constants().keySet());
    assertTrue(raw.isEmpty(), "settings read outside a settings record (read them in the *Settings record of their "
        + "area, once, and pass it down; or name a holder in SettingsReadersTest.HOLDERS, with why):\n  "
        + String.join("\n  ", raw));
  }

  @Test
  void aRawReadIsFoundAndCommentsAndStringsAreNot() {
    Map<String, String> sources = new TreeMap<>(Map.of(
        "ai/mesm/stage/Raw.java", String.join("\n",
            "import static ai.mesm.config.ConfigKeys.*;",
            "class Raw {",
            "  // config.getString(DATASET) in a comment is no read",
            "  /* nor config.getInt(SEED)",
            "     over two lines */",
            "  String s = \"config.getString(PATHS_SPLIT)\" + 'c';",
            "  String a(MesmConfig config) { return config.getString(DATASET); }",
            "  long b(Object x) { return x.getLong(ai.mesm.config.ConfigKeys.SEED); }",
            "  String c(Object f) { return f.getString(\"mesm.paths.split\"); }",
            "  long d(MesmConfig c, String key) {",
            "    return c.getLong(key); }",
            "  long e(MesmConfig c, String k) { return c.raw().getBytes(k); }",
            "  Map f(MesmConfig c) { return c.sparkConf(); }",
            "  String g(Row r, Group p) { return r.getString(0) + p.getString(\"text\", 0); }",
            "  String h(MesmConfig c) { return c.canonicalJson() + c.render(); }",
            "  String i(Configuration hadoop) { return hadoop.get(\"fs.defaultFS\"); }",
            "}"),
        "ai/mesm/b/NotImported.java", "class NotImported { int x(Foo other) { return other.getInt(SEED); } }",
        "ai/mesm/split/FooSettings.java", "class FooSettings { int x(MesmConfig c) { return c.getInt(SEED); } }",
        "ai/mesm/config/Loader.java", "class Loader { int x(Config c) { return c.getInt(ConfigKeys.SEED); } }",
        "ai/mesm/media/VisualNormalisation.java", "record VisualNormalisation() { Object x(MesmConfig c) { "
            + "return c.getDoubleList(ConfigKeys.VISUAL_MEAN); } }"));
    assertEquals(List.of(
            "ai/mesm/stage/Raw.java:7: String a(MesmConfig config) { return config.getString(DATASET); }",
            "ai/mesm/stage/Raw.java:8: long b(Object x) { return x.getLong(ai.mesm.config.ConfigKeys.SEED); }",
            "ai/mesm/stage/Raw.java:9: String c(Object f) { return f.getString(\"mesm.paths.split\"); }",
            "ai/mesm/stage/Raw.java:11: return c.getLong(key); }",
            "ai/mesm/stage/Raw.java:12: long e(MesmConfig c, String k) { return c.raw().getBytes(k); }",
            "ai/mesm/stage/Raw.java:13: Map f(MesmConfig c) { return c.sparkConf(); }"),
        rawReads(sources, Set.of("DATASET", "SEED", "PATHS_SPLIT", "VISUAL_MEAN")));
  }

  /**
   * "path:line: source line" of each read outside the config package, the settings records and
   * {@link #HOLDERS}.
   *
   * @param keyConstants the names of ConfigKeys' constants
   */
  static List<String> rawReads(Map<String, String> sources, Set<String> keyConstants) {
    List<String> out = new ArrayList<>();
    sources.forEach((path, text) -> {
      if (exempt(path)) return;
      String code = code(text);
      String[] lines = text.split("\n", -1);
      Set<String> configs = new HashSet<>();
      Matcher d = DECLARED.matcher(code);
      while (d.find()) configs.add(d.group(1));
      Set<Integer> found = new java.util.TreeSet<>();
      Matcher m = CALL.matcher(code);
      while (m.find()) {
        String receiver = m.group(1).replaceAll("\\s", "");
        if (receiver.equals("raw()") || configs.contains(receiver) || isKey(m.group(3).strip(), code, keyConstants)) {
          found.add(line(code, m.start(2)));
        }
      }
      Matcher s = SPARK_CONF.matcher(code);
      while (s.find()) found.add(line(code, s.start()));
      for (int n : found) out.add(path + ":" + n + ": " + lines[n - 1].strip());
    });
    return out;
  }

  private static boolean exempt(String path) {
    return path.contains("ai/mesm/config/") || path.endsWith("Settings.java")
        || HOLDERS.keySet().stream().anyMatch(path::endsWith);
  }

  /** A "mesm..." literal, ConfigKeys.NAME, or a bare NAME where the file imports ConfigKeys' constants statically. */
  private static boolean isKey(String argument, String code, Set<String> keyConstants) {
    if (argument.equals(KEY_LITERAL)) return true;
    Matcher q = Pattern.compile("(?:ai\\.mesm\\.config\\.)?ConfigKeys\\s*\\.\\s*([A-Z][A-Z0-9_]*)").matcher(argument);
    if (q.matches()) return keyConstants.contains(q.group(1));
    if (!argument.matches("[A-Z][A-Z0-9_]*") || !keyConstants.contains(argument)) return false;
    return Pattern.compile("import\\s+static\\s+ai\\.mesm\\.config\\.ConfigKeys\\s*\\.\\s*(\\*|" + argument + ")\\s*;")
        .matcher(code).find();
  }

  private static int line(String code, int offset) {
    int n = 1;
    for (int i = 0; i < offset; i++) if (code.charAt(i) == '\n') n++;
    return n;
  }

  /**
   * The source with comments blanked and literals emptied, lines kept where they were: a key
   * literal becomes {@link #KEY_LITERAL}, any other string "" and a character ' '.
   */
  static String code(String src) {
    StringBuilder sb = new StringBuilder(src.length());
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      int end;
      if (src.startsWith("//", i)) {
        end = src.indexOf('\n', i);
        end = end < 0 ? src.length() : end;
        i = blank(src, i, end, sb);
      } else if (src.startsWith("/*", i)) {
        end = src.indexOf("*/", i + 2);
        i = blank(src, i, end < 0 ? src.length() : end + 2, sb);
      } else if (src.startsWith("\"\"\"", i)) {
        end = src.indexOf("\"\"\"", i + 3);
        sb.append("\"\"");
        i = blank(src, i, end < 0 ? src.length() : end + 3, sb);
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != c) j += src.charAt(j) == '\\' ? 2 : 1;
        String literal = src.substring(i + 1, Math.min(j, src.length()));
        sb.append(c == '\'' ? "' '" : literal.equals("mesm") || literal.startsWith("mesm.") ? KEY_LITERAL : "\"\"");
        i = j + 1;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  /** Skips src[from, to), keeping its line breaks. */
  private static int blank(String src, int from, int to, StringBuilder sb) {
    for (int k = from; k < to; k++) if (src.charAt(k) == '\n') sb.append('\n');
    return to;
  }
}
