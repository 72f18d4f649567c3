package ai.mesm.score;

import ai.mesm.ingest.Parsed;
import ai.mesm.ingest.SkippedLine;
import java.util.ArrayList;
import java.util.List;

/**
 * SubRip (.srt) and WebVTT (.vtt) subtitles as segments: each cue's times and its text (markup
 * removed, lines joined). Blocks are separated by blank lines; a cue is the block holding a
 * timing line ("-->"), the lines before it being its number or identifier. Anything else
 * (WEBVTT header, NOTE, STYLE and REGION blocks) is not a cue; a block with a malformed or
 * backwards timing line, or with no text, is skipped with a reason, never silently.
 */
public final class SubtitleFormat {
  public static final String MALFORMED_TIMING = "malformed_cue_timing";
  public static final String END_NOT_AFTER_START = "cue_end_not_after_start";
  public static final String EMPTY_CUE = "empty_cue_text";
  public static final String NOT_A_CUE = "not_a_cue";

  private SubtitleFormat() {}

  public static Parsed<Segment> parse(String sourcePath, List<String> lines) {
    List<Segment> segments = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      while (i < lines.size() && strip(lines.get(i)).isBlank()) i++;
      int start = i;
      while (i < lines.size() && !strip(lines.get(i)).isBlank()) i++;
      if (start < i) cue(sourcePath, lines, start, i, segments, skipped);
    }
    return new Parsed<>(segments, skipped);
  }

  private static void cue(String path, List<String> lines, int from, int to, List<Segment> out, List<SkippedLine> skipped) {
    int timing = -1;
    for (int k = from; k < to; k++) {
      if (CueTimes.isTiming(lines.get(k))) {
        timing = k;
        break;
      }
    }
    String first = strip(lines.get(from));
    if (timing < 0) {
      boolean header = first.startsWith("WEBVTT") || first.startsWith("NOTE") || first.startsWith("STYLE")
          || first.startsWith("REGION");
      if (!header) skipped.add(new SkippedLine(path, from + 1, first, NOT_A_CUE));
      return;
    }
    double[] t = CueTimes.parse(strip(lines.get(timing)));
    if (t == null) {
      skipped.add(new SkippedLine(path, timing + 1, lines.get(timing), MALFORMED_TIMING));
      return;
    }
    if (t[1] <= t[0]) {
      skipped.add(new SkippedLine(path, timing + 1, lines.get(timing), END_NOT_AFTER_START));
      return;
    }
    StringBuilder text = new StringBuilder();
    for (int k = timing + 1; k < to; k++) text.append(' ').append(lines.get(k));
    String plain = CueTimes.plainText(text.toString());
    if (plain.isEmpty()) {
      skipped.add(new SkippedLine(path, timing + 1, lines.get(timing), EMPTY_CUE));
      return;
    }
    out.add(new Segment(out.size(), t[0], t[1], plain));
  }

  private static String strip(String line) {
    return line.replace("\uFEFF", "").strip();
  }
}
