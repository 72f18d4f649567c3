package ai.mesm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders docs/configuration.md from reference.conf: one section per area under {@code mesm},
 * each key with its default and the comment written above it. reference.conf stays the one place
 * where a setting is described, and the page cannot drift from it (ConfigReferenceTest compares
 * the committed page with this rendering; {@code make config-doc} rewrites it).
 */
public final class ConfigReference {
  /** Where the rendered page lives, relative to the repository root. */
  public static final String PAGE = "docs/configuration.md";

  private static final String HEADER = """
      # Configuration reference

      <!-- Generated from pipeline/src/main/resources/reference.conf by ai.mesm.config.ConfigReference:
           edit the comments there and run `make config-doc`; ConfigReferenceTest fails while this page is stale. -->

      Every setting of the pipeline with its default, as `reference.conf` holds them; nothing outside
      that file has a default, and a key that is not in it is rejected (except under the free-form
      `mesm.spark.conf`). What the settings compute is explained in [computation.md](computation.md).

      **Precedence**, highest first:

      1. `key=value` on the command line (the leading `mesm.` may be omitted; values that look like
         numbers, booleans or `[lists]` are typed, anything else is a string, so
         `paths.input=s3a://bucket/raw` needs no quoting);
      2. `--config` files, a later file winning over an earlier one (`conf/` holds one per dataset and
         per kind of cluster, meant to be combined);
      3. `reference.conf`.

      Environment variables can fill `${?VAR}` holes in config files. A job checks the whole
      configuration **before doing any work** and stops with exit code 2 and every problem listed,
      each naming its key: an unknown key (with a "did you mean" for typos), a key this version
      removed (with why: `mesm.model.mesm.blocks`, as MESM always has the paper's 3 blocks), a value of
      the wrong type, or a value out of range (e.g. `mesm.model.mesm.top-p: must be in (0, 1], was 1.5`;
      each settings record declares the ranges of the keys it reads in its `rules()`, gathered by
      `ai.mesm.config.ConfigRules`). `--print-config` prints the effective settings. Values
      of keys that name an access key, secret, token, password or credential are never printed or
      recorded ([reliability.md](reliability.md#2-no-secret-in-any-output-or-log)).
      """;

  private ConfigReference() {}

  /** The page for this library's reference.conf. */
  public static String render() {
    return render(ConfigFactory.parseResources(ConfigReference.class.getClassLoader(), "reference.conf",
        ConfigParseOptions.defaults().setAllowMissing(false)));
  }

  /** The page for a parsed (unresolved, comments kept) configuration with a {@code mesm} root. */
  public static String render(Config parsed) {
    ConfigObject root = parsed.root().toConfig().getObject(ConfigKeys.ROOT);
    Sources sources = new Sources();
    StringBuilder out = new StringBuilder(HEADER);
    List<Map.Entry<String, ConfigValue>> leaves = leaves(root);
    if (!leaves.isEmpty()) {
      // The root's comment (the head of reference.conf) is what the page's header says.
      out.append("\n## `").append(ConfigKeys.ROOT).append("`\n\n");
      table(out, ConfigKeys.ROOT, leaves, sources);
    }
    for (Map.Entry<String, ConfigValue> area : objects(root)) {
      section(out, ConfigKeys.ROOT + "." + ConfigUtil.joinPath(area.getKey()), (ConfigObject) area.getValue(), 2, sources);
    }
    return out.toString();
  }

  /** An object's heading, comment and own keys, then its nested objects one level deeper. */
  private static void section(StringBuilder out, String path, ConfigObject object, int level, Sources sources) {
    out.append('\n').append("#".repeat(Math.min(level, 4))).append(" `").append(path).append("`\n\n");
    paragraph(out, object);
    List<Map.Entry<String, ConfigValue>> leaves = leaves(object);
    if (!leaves.isEmpty()) table(out, path, leaves, sources);
    for (Map.Entry<String, ConfigValue> child : objects(object)) {
      section(out, path + "." + ConfigUtil.joinPath(child.getKey()), (ConfigObject) child.getValue(), level + 1, sources);
    }
  }

  private static void paragraph(StringBuilder out, ConfigValue value) {
    String comment = comment(value);
    if (!comment.isEmpty()) out.append(text(comment)).append("\n\n");
  }

  private static void table(StringBuilder out, String path, List<Map.Entry<String, ConfigValue>> leaves,
                            Sources sources) {
    out.append("| key | default | meaning |\n|---|---|---|\n");
    for (Map.Entry<String, ConfigValue> e : leaves) {
      String key = path + "." + ConfigUtil.joinPath(e.getKey());
      out.append("| `").append(code(key)).append("` | `").append(code(shown(key, e.getKey(), e.getValue(), sources))).append("` | ")
          .append(text(comment(e.getValue()))).append(" |\n");
    }
  }

  /** Scalars and lists, in file order. */
  private static List<Map.Entry<String, ConfigValue>> leaves(ConfigObject object) {
    return inFileOrder(object).stream().filter(e -> e.getValue().valueType() != ConfigValueType.OBJECT).toList();
  }

  /** Nested objects, in file order. */
  private static List<Map.Entry<String, ConfigValue>> objects(ConfigObject object) {
    return inFileOrder(object).stream().filter(e -> e.getValue().valueType() == ConfigValueType.OBJECT).toList();
  }

  /** The parsed object forgets the order of its keys; the file's order keeps related keys together. */
  private static List<Map.Entry<String, ConfigValue>> inFileOrder(ConfigObject object) {
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(object.entrySet());
    entries.sort(Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> e.getValue().origin().lineNumber())
        .thenComparing(Map.Entry::getKey));
    return entries;
  }

  /**
   * The default as reference.conf writes it. The product's one redaction rule applies here too, so
   * that a secret committed to reference.conf by mistake would not be published a second time.
   */
  private static String shown(String key, String name, ConfigValue value, Sources sources) {
    if (Secrets.isSecretKey(key) && !isEmpty(value)) return Secrets.REDACTED;
    String written = sources.asWritten(name, value);
    return Secrets.redactUris(written != null ? written : literal(value));
  }

  /** Without the file's text (a config parsed from a string): strings quoted, lists on one line. */
  private static String literal(ConfigValue value) {
    if (value.valueType() == ConfigValueType.LIST) {
      return ((ConfigList) value).stream().map(ConfigReference::literal).collect(Collectors.joining(", ", "[", "]"));
    }
    return value.render(ConfigRenderOptions.concise());
  }

  private static boolean isEmpty(ConfigValue value) {
    return switch (value.valueType()) {
      case NULL -> true;
      case STRING -> ((String) value.unwrapped()).isEmpty();
      case LIST -> ((ConfigList) value).isEmpty();
      default -> false;
    };
  }

  /** The comment lines above a key, joined into one paragraph. */
  private static String comment(ConfigValue value) {
    return value.origin().comments().stream().map(String::strip).filter(s -> !s.isEmpty())
        .collect(Collectors.joining(" "));
  }

  /** A code span in a table cell: only a pipe needs escaping there (it would end the cell). */
  private static String code(String text) {
    return text.replace("|", "\\|");
  }

  /** Prose in a table cell: pipes would end the cell, angle brackets read as HTML, asterisks as emphasis. */
  private static String text(String text) {
    return text.replace("|", "\\|").replace("<", "\\<").replace("*", "\\*");
  }

  /**
   * The text of the files values came from. A parsed number forgets how it was written (5e-5
   * comes back as 5.0E-5, 4.0 as 4), so a one-line {@code key = value} is shown as written.
   */
  private static final class Sources {
    private final Map<URL, List<String>> lines = new HashMap<>();

    /** The value's text on its line, or null when it is not a one-line {@code name = value}. */
    String asWritten(String name, ConfigValue value) {
      URL url = value.origin().url();
      int line = value.origin().lineNumber();
      if (url == null || line < 1) return null;
      List<String> text = lines.computeIfAbsent(url, Sources::read);
      if (line > text.size()) return null;
      String l = text.get(line - 1);
      int eq = l.indexOf('=');
      if (eq < 0) return null;
      String key = l.substring(0, eq).strip();
      String written = l.substring(eq + 1).strip();
      boolean sameKey = key.equals(name) || key.equals("\"" + name + "\"");
      boolean whole = !written.isEmpty() && !written.contains("#") && !written.contains("//")
          && (written.charAt(0) != '[' || written.endsWith("]")) && (written.charAt(0) != '{');
      return sameKey && whole ? written : null;
    }

    private static List<String> read(URL url) {
      try (InputStream in = url.openStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + url, e);
      }
    }
  }
}
