package ai.mesm.config;

import java.util.regex.Pattern;

/**
 * The check every name from a file or a setting passes before it becomes part of a path (run
 * names, model ids read from manifests, list-file names): one folder or file name, starting with
 * a letter or digit, so that it can never be "..", a hidden file, an absolute path or another
 * folder.
 */
public final class SafeName {
  public static final String RULE = "a plain name: a letter or digit, then letters, digits, . _ = - (at most 200)";
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=-]{0,199}");

  private SafeName() {}

  public static boolean isPlain(String name) {
    return name != null && PLAIN.matcher(name).matches();
  }

  /**
   * The name itself when it is plain.
   *
   * @param what where the name came from, for the message (e.g. "model id in s3a://b/m/_manifest.json")
   */
  public static String require(String what, String name) {
    if (!isPlain(name)) {
      throw new IllegalArgumentException(what + " must be " + RULE + ", was '" + name + "'");
    }
    return name;
  }
}
