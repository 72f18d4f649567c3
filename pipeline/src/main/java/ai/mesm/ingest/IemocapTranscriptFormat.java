package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IEMOCAP {@code transcriptions/<dialog>.txt}: "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me." */
public final class IemocapTranscriptFormat {
  public static final String NOT_AN_UTTERANCE_LINE = "not_an_utterance_line";
  public static final String BAD_TIMES = "bad_times";

  private static final Pattern LINE = Pattern.compile("^(\\S+) \\[([^\\]-]*)-([^\\]]*)\\]: (.*)$");

  private IemocapTranscriptFormat() {}

  public static String format(TranscriptLine line) {
    return String.format(Locale.ROOT, "%s [%08.4f-%08.4f]: %s", line.utteranceId(), line.startS(), line.endS(),
        line.text());
  }

  public static Parsed<TranscriptLine> parse(String sourcePath, List<String> lines) {
    List<TranscriptLine> items = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) continue;
      Matcher m = LINE.matcher(line);
      if (!m.matches() || !m.group(1).contains("_")) {
        skipped.add(new SkippedLine(sourcePath, i + 1, line, NOT_AN_UTTERANCE_LINE));
        continue;
      }
      try {
        double start = Double.parseDouble(m.group(2).trim());
        double end = Double.parseDouble(m.group(3).trim());
        if (end < start) throw new NumberFormatException("end before start");
        items.add(new TranscriptLine(m.group(1), start, end, m.group(4)));
      } catch (NumberFormatException e) {
        skipped.add(new SkippedLine(sourcePath, i + 1, line, BAD_TIMES));
      }
    }
    return new Parsed<>(items, skipped);
  }
}
