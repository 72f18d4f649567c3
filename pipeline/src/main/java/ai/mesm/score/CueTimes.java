package ai.mesm.score;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The timing line of a subtitle cue, "00:01:02,345 --> 00:01:04,000" (SubRip) or
 * "01:02.345 --> 01:04.000 line:90%" (WebVTT: hours optional, cue settings after the end).
 */
final class CueTimes {
  /**
   * Hours take at most 5 digits (over 11 years): a longer run of digits is a damaged or hostile
   * file, a malformed timing line, not a number to overflow on.
   */
  private static final String TIME = "(?:(\\d{1,5}):)?(\\d{1,2}):(\\d{2})[,.](\\d{1,3})";
  private static final Pattern LINE = Pattern.compile("^\\s*" + TIME + "\\s*-->\\s*" + TIME + "(?:\\s+.*)?$");

  private CueTimes() {}

  static boolean isTiming(String line) {
    return line.contains("-->");
  }

  /** {start, end} in seconds, or null when the line is not a well-formed timing line. */
  static double[] parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) return null;
    return new double[] {seconds(m, 1), seconds(m, 5)};
  }

  private static double seconds(Matcher m, int group) {
    double h = m.group(group) == null ? 0 : Integer.parseInt(m.group(group));
    int minutes = Integer.parseInt(m.group(group + 1));
    int secs = Integer.parseInt(m.group(group + 2));
    String frac = m.group(group + 3);
    double fraction = Integer.parseInt(frac) / Math.pow(10, frac.length());
    return h * 3600 + minutes * 60 + secs + fraction;
  }

  /** Cue text without markup: WebVTT/SubRip tags (&lt;i&gt;, &lt;v Name&gt;), ASS overrides ({\an8}), entities. */
  static String plainText(String text) {
    return text.replaceAll("<[^>]*>", "").replaceAll("\\{\\\\[^}]*}", "").replace("&amp;", "&").replace("&lt;", "<")
        .replace("&gt;", ">").replace("&nbsp;", " ").replaceAll("\\s+", " ").trim();
  }
}
