package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CMU-MOSEI {@code Transcript/Segmented/Combined/<video_id>.txt}:
 * "<video_id>___<clip>___<start>___<end>___<text>". Video ids may contain '_' and '-', even at
 * either end, so the line is anchored on the three numeric fields rather than split on "___".
 */
public final class MoseiTranscriptFormat {
  public static final String MALFORMED_SEGMENT_LINE = "malformed_segment_line";

  private static final String NUMBER = "(-?[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)";
  private static final Pattern AFTER_ID = Pattern.compile("^___([0-9]+)___" + NUMBER + "___" + NUMBER + "___(.*)$");

  private MoseiTranscriptFormat() {}

  public static String format(MoseiSegment s) {
    return s.videoId() + "___" + s.clip() + "___" + s.startS() + "___" + s.endS() + "___" + s.text();
  }

  public static Parsed<MoseiSegment> parse(String sourcePath, List<String> lines) {
    List<MoseiSegment> items = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
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

  /** Tries each "___" as the end of the id, so ids ending in '_' ("ab_" + "___") still split right. */
  private static MoseiSegment segment(String line) {
    for (int from = line.indexOf("___"); from > 0; from = line.indexOf("___", from + 1)) {
      String id = line.substring(0, from);
      Matcher rest = AFTER_ID.matcher(line.substring(from));
      if (!rest.matches()) continue;
      try {
        return new MoseiSegment(id, Integer.parseInt(rest.group(1)), Double.parseDouble(rest.group(2)),
            Double.parseDouble(rest.group(3)), rest.group(4));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
