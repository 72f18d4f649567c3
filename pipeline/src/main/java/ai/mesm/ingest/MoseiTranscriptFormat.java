package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CMU-MOSEI {@code Transcript/Segmented/Combined/<video_id>.txt}:
 * "<video_id>___<clip>___<start>___<end>___<text>". Video ids may contain '_' and '-', even at
 * either end, and the text may contain "___", so a line is not split on "___": it is anchored on
 * the three numeric fields after the id.
 */
public final class MoseiTranscriptFormat {
  public static final String MALFORMED_SEGMENT_LINE = "malformed_segment_line";

  private static final String SEPARATOR = "___";
  // Everything Double.toString prints for a finite double ("12.0", "-0.5", "1.0E-5") and plain integers.
  private static final String NUMBER = "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)";
  private static final Pattern AFTER_ID = Pattern.compile("^___([0-9]+)___" + NUMBER + "___" + NUMBER + "___(.*)$");

  private MoseiTranscriptFormat() {}

  /**
   * Times as {@link Double#toString}, which reads back to the same double.
   *
   * @throws IllegalArgumentException for a segment the parser would not read back as the same item
   *                                  (empty id, negative clip, non-finite time, line break, or an id
   *                                  holding "___" followed by what looks like the numeric fields)
   */
  public static String format(MoseiSegment s) {
    String line = s.videoId() + SEPARATOR + s.clip() + SEPARATOR + s.startS() + SEPARATOR + s.endS() + SEPARATOR
        + s.text();
    // Checked by reading the line back rather than by rules, so that the writer refuses exactly what
    // the reader cannot recover; line breaks are checked apart since they split the line in the file.
    if (hasLineBreak(line) || !s.equals(segment(line))) {
      throw new IllegalArgumentException("segment would not read back from its line: " + s);
    }
    return line;
  }

  public static Parsed<MoseiSegment> parse(String sourcePath, List<String> lines) {
    List<MoseiSegment> items = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = i == 0 ? Bom.strip(lines.get(i)) : lines.get(i);
      if (line.isBlank()) continue;
      MoseiSegment segment = segment(line);
      if (segment == null) {
        skipped.add(new SkippedLine(sourcePath, i + 1, line, MALFORMED_SEGMENT_LINE));
      } else {
        items.add(segment);
      }
    }
    return new Parsed<>(items, skipped);
  }

  /**
   * Tries each "___" from the left as the end of the id, overlapping ones included, so that an id
   * ending in '_' ("ab_" then "___" reads "ab____") still splits right. As real ids never hold
   * "___", the first split whose numeric fields match is the only one that can.
   */
  private static MoseiSegment segment(String line) {
    for (int from = line.indexOf(SEPARATOR); from > 0; from = line.indexOf(SEPARATOR, from + 1)) {
      Matcher rest = AFTER_ID.matcher(line).region(from, line.length());
      if (!rest.matches()) continue;
      try {
        double start = Double.parseDouble(rest.group(2));
        double end = Double.parseDouble(rest.group(3));
        // "1e999" has the shape of a number but no finite value.
        if (!Double.isFinite(start) || !Double.isFinite(end)) return null;
        return new MoseiSegment(line.substring(0, from), Integer.parseInt(rest.group(1)), start, end, rest.group(4));
      } catch (NumberFormatException e) {
        return null; // a clip number past int range
      }
    }
    return null;
  }

  private static boolean hasLineBreak(String s) {
    return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
  }
}
