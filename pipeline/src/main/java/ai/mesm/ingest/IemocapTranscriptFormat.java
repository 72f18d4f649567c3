package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IEMOCAP {@code transcriptions/<dialog>.txt}: "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me."
 * The text is everything after the first "]: ", since spoken text may itself hold "]: ".
 * Times are written with 4 decimals, so only times on a 0.1 ms grid survive a round trip exactly.
 */
public final class IemocapTranscriptFormat {
  public static final String NOT_AN_UTTERANCE_LINE = "not_an_utterance_line";
  public static final String BAD_TIMES = "bad_times";

  /**
   * Non-empty '_'-separated fields ("Ses01F_impro01_F000", "Ses04F_script01_1_F024"): the join
   * derives the dialog, session and speaker from these fields, so an id without them is no utterance.
   */
  static final String UTTERANCE_ID = "[^_\\s]+(?:_[^_\\s]+)+";
  /** Unsigned decimal as the release prints times; rejects what parseDouble would let through (NaN, 1e3, 5d). */
  static final String TIME = "[0-9]+(?:\\.[0-9]+)?";

  // A trailing-space-stripped "]:" still reads as an utterance with empty text.
  private static final Pattern SHAPE = Pattern.compile("^(" + UTTERANCE_ID + ") \\[([^\\]]*)\\]:(?: (.*))?$");
  // Spaces are tolerated around the '-': hand-edited copies have them, and the times still read.
  private static final Pattern TIMES = Pattern.compile("\\s*(" + TIME + ")\\s*-\\s*(" + TIME + ")\\s*");
  private static final Pattern ID = Pattern.compile(UTTERANCE_ID);

  private IemocapTranscriptFormat() {}

  /** @throws IllegalArgumentException for a line the parser could not read back as the same item */
  public static String format(TranscriptLine line) {
    if (!ID.matcher(line.utteranceId()).matches()) {
      throw new IllegalArgumentException("not an IEMOCAP utterance id: \"" + line.utteranceId() + "\"");
    }
    requireTime(line.startS(), line);
    requireTime(line.endS(), line);
    if (line.text().indexOf('\n') >= 0 || line.text().indexOf('\r') >= 0) {
      throw new IllegalArgumentException("line break in the text of " + line.utteranceId());
    }
    return String.format(Locale.ROOT, "%s [%08.4f-%08.4f]: %s", line.utteranceId(), line.startS(), line.endS(),
        line.text());
  }

  public static Parsed<TranscriptLine> parse(String sourcePath, List<String> lines) {
    List<TranscriptLine> items = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = i == 0 ? Bom.strip(lines.get(i)) : lines.get(i);
      if (line.isBlank()) continue;
      Matcher m = SHAPE.matcher(line);
      if (!m.matches()) {
        skipped.add(new SkippedLine(sourcePath, i + 1, line, NOT_AN_UTTERANCE_LINE));
        continue;
      }
      Matcher t = TIMES.matcher(m.group(2));
      double start = t.matches() ? Double.parseDouble(t.group(1)) : Double.NaN;
      double end = t.matches() ? Double.parseDouble(t.group(2)) : Double.NaN;
      // NaN fails the comparison too, so a window that did not parse is never an item.
      if (!(end >= start)) {
        skipped.add(new SkippedLine(sourcePath, i + 1, line, BAD_TIMES));
        continue;
      }
      items.add(new TranscriptLine(m.group(1), start, end, m.group(3) == null ? "" : m.group(3)));
    }
    return new Parsed<>(items, skipped);
  }

  private static void requireTime(double seconds, TranscriptLine line) {
    // A negative or non-finite time would print as something the parser reads as another line kind.
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("time " + seconds + " of " + line.utteranceId() + " cannot be written");
    }
  }
}
