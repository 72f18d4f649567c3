package ai.mesm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library reads top-down (docs/design.md, "Layout"): each top-level package of ai.mesm may
 * use only the packages listed below it. A new package must be given its place here, and a use
 * that points upwards (the start of a cycle) fails with the file that makes it.
 */
public class PackageLayersTest {
  /** Lowest first. */
  static final List<String> LAYERS = List.of(
      "config", "io", "media", "data", "ingest", "split", "model", "eval", "train", "report", "score", "corpus",
      "stage", "bench");
  private static final Pattern USE = Pattern.compile("\\bai\\.mesm\\.([a-z]\\w*)\\b");

  @Test
  void everyPackageUsesOnlyTheLayersBelowIt() throws IOException {
    Map<String, TreeSet<String>> upward = upwardUses(Path.of("src/main/java/ai/mesm"));
    assertTrue(upward.isEmpty(), "uses that point upwards (or from a package not in LAYERS):\n" + String.join("\n",
        upward.entrySet().stream().map(e -> e.getKey() + " in " + e.getValue()).toList()));
  }

  @Test
  void anUpwardUseIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    write(dir, "model/Planted.java", "package ai.mesm.model;\n// ai.mesm.stage.X in a comment does not count\n"
        + "class Planted { String s = \"ai.mesm.stage.Y\"; ai.mesm.stage.TrainRunner r; }\n");
    write(dir, "stage/Fine.java", "package ai.mesm.stage;\nimport ai.mesm.model.Planted;\nclass Fine {}\n");
    write(dir, "extra/New.java", "package ai.mesm.extra;\nclass New {}\n");
    Map<String, TreeSet<String>> upward = upwardUses(dir);
    assertEquals(Map.of("model -> stage", new TreeSet<>(List.of("model/Planted.java")),
        "extra (not in LAYERS)", new TreeSet<>(List.of("extra/New.java"))), upward);
  }

  /** "from -> to" (or "pkg (not in LAYERS)") to the files that make it. */
  static Map<String, TreeSet<String>> upwardUses(Path root) throws IOException {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      String rel = root.relativize(file).toString().replace('\\', '/');
      if (!rel.contains("/")) continue;
      String from = rel.substring(0, rel.indexOf('/'));
      int level = LAYERS.indexOf(from);
      if (level < 0) {
        out.computeIfAbsent(from + " (not in LAYERS)", k -> new TreeSet<>()).add(rel);
        continue;
      }
      Matcher m = USE.matcher(code(Files.readString(file, StandardCharsets.UTF_8)));
      while (m.find()) {
        String to = m.group(1);
        if (!to.equals(from) && LAYERS.indexOf(to) >= level) {
          out.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>()).add(rel);
        }
      }
    }
    return out;
  }

  /** The source without comments and string or character literals, where a package name is not a use. */
  public static String code(String src) {
    StringBuilder sb = new StringBuilder(src.length());
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (src.startsWith("//", i)) {
        i = src.indexOf('\n', i);
        if (i < 0) break;
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        i = end < 0 ? src.length() : end + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        i = end < 0 ? src.length() : end + 3;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != c) j += src.charAt(j) == '\\' ? 2 : 1;
        i = j + 1;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  private static void write(Path root, String rel, String text) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }
}
