package ai.mesm.io;

import ai.mesm.config.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Refuses a job whose output folder is one of its inputs, lies inside one, or holds one:
 * publishing replaces the output folder's entries, so a split written over its own ingest
 * folder would replace the data it was made from. Checked before any work, on fully qualified
 * locations (a relative path and its file: URI are the same folder).
 */
public final class OutputGuard {
  private OutputGuard() {}

  /**
   * @param outputKey the setting that names the output (for the message)
   * @param inputs    setting → location of everything the job reads; blank locations are skipped
   */
  public static void requireApart(Configuration conf, String outputKey, String output, Map<String, String> inputs) {
    URI out = qualified(output, conf);
    for (Map.Entry<String, String> in : inputs.entrySet()) {
      if (in.getValue() == null || in.getValue().isBlank()) continue;
      URI read = qualified(in.getValue(), conf);
      String relation = relation(out, read);
      if (relation != null) {
        throw new InvalidConfigException(outputKey, "writes to " + out + ", which " + relation + " " + in.getKey()
            + " (" + read + "), an input of this job: publishing it would replace or mix with that input; choose a "
            + "folder apart from it");
      }
    }
  }

  /** How output relates to input, or null when they are apart. */
  static String relation(URI out, URI in) {
    if (!same(out.getScheme(), in.getScheme()) || !same(out.getAuthority(), in.getAuthority())) return null;
    String o = trimmed(out.getPath());
    String i = trimmed(in.getPath());
    if (o.equals(i)) return "is the same folder as";
    if (i.startsWith(o + "/")) return "contains";
    if (o.startsWith(i + "/")) return "is inside";
    return null;
  }

  private static URI qualified(String location, Configuration conf) {
    Path p = new Path(location);
    try {
      return p.getFileSystem(conf).makeQualified(p).toUri().normalize();
    } catch (IOException e) {
      throw new UncheckedIOException(location + ": cannot resolve its filesystem: " + e.getMessage(), e);
    }
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equalsIgnoreCase(b);
  }

  private static String trimmed(String path) {
    String p = path == null ? "" : path;
    while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p;
  }
}
