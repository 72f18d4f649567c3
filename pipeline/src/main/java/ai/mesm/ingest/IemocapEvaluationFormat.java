package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IEMOCAP {@code EmoEvaluation/<dialog>.txt}: a header, then per utterance a consensus line
 * "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]", its annotators' lines
 * and a blank line. Header, annotator and blank lines are part of the format, not items, so they
 * are neither items nor skipped lines.
 */
public final class IemocapEvaluationFormat {
  public static final String HEADER = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]";
  public static final String MALFORMED_EVALUATION_LINE = "malformed_evaluation_line";
  public static final String UNEXPECTED_LINE = "unexpected_line";

  private static final String NUM = "(" + IemocapTranscriptFormat.TIME + ")";
  // Whitespace is matched loosely: the release uses tabs, hand-edited copies often do not.
  private static final Pattern CONSENSUS = Pattern.compile("^\\[\\s*" + NUM + "\\s*-\\s*" + NUM + "\\s*\\]\\s+("
      + IemocapTranscriptFormat.UTTERANCE_ID + ")\\s+(\\S+)\\s+\\[\\s*" + NUM + "\\s*,\\s*" + NUM + "\\s*,\\s*" + NUM
      + "\\s*\\]$");
  private static final Pattern ID = Pattern.compile(IemocapTranscriptFormat.UTTERANCE_ID);
  private static final Pattern LABEL = Pattern.compile("\\S+");

  private IemocapEvaluationFormat() {}

  /**
   * The whole file: header, blank line, then each block followed by a blank line ('\n' ends).
   *
   * @throws IllegalArgumentException for an entry the parser could not read back as the same item
   */
  public static String format(List<EmoEvaluation> entries) {
    StringBuilder sb = new StringBuilder(HEADER).append("\n\n");
    for (EmoEvaluation e : entries) {
      check(e);
      sb.append(String.format(Locale.ROOT, "[%.4f - %.4f]\t%s\t%s\t[%.4f, %.4f, %.4f]\n", e.startS(), e.endS(),
          e.utteranceId(), e.label(), e.valence(), e.activation(), e.dominance()));
      for (String line : e.annotatorLines()) sb.append(line).append('\n');
      sb.append('\n');
    }
    return sb.toString();
  }

  public static Parsed<EmoEvaluation> parse(String sourcePath, List<String> lines) {
    List<EmoEvaluation> items = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    Matcher open = null;
    List<String> annotators = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = i == 0 ? Bom.strip(lines.get(i)) : lines.get(i);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("%")) continue;
      if (isAnnotatorLine(trimmed)) {
        // Lines of a block whose consensus line was unreadable have no item to belong to.
        if (open != null) annotators.add(line);
        continue;
      }
      if (!trimmed.startsWith("[")) {
        // A stray line inside a block does not end it: the annotator lines after it are still its.
        skipped.add(new SkippedLine(sourcePath, i + 1, line, UNEXPECTED_LINE));
        continue;
      }
      if (open != null) items.add(entry(open, annotators));
      Matcher m = CONSENSUS.matcher(trimmed);
      open = m.matches() ? m : null;
      annotators = new ArrayList<>();
      if (open == null) skipped.add(new SkippedLine(sourcePath, i + 1, line, MALFORMED_EVALUATION_LINE));
    }
    if (open != null) items.add(entry(open, annotators));
    return new Parsed<>(items, skipped);
  }

  private static boolean isAnnotatorLine(String trimmed) {
    return trimmed.startsWith("C-") || trimmed.startsWith("A-");
  }

  private static EmoEvaluation entry(Matcher m, List<String> annotators) {
    return new EmoEvaluation(m.group(3), Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), m.group(4),
        Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7)), annotators);
  }

  private static void check(EmoEvaluation e) {
    if (!ID.matcher(e.utteranceId()).matches()) {
      throw new IllegalArgumentException("not an IEMOCAP utterance id: \"" + e.utteranceId() + "\"");
    }
    if (!LABEL.matcher(e.label()).matches()) {
      throw new IllegalArgumentException("label of " + e.utteranceId() + " is empty or holds whitespace");
    }
    // Negative or non-finite values would print as a consensus line the parser rejects.
    for (double v : new double[] {e.startS(), e.endS(), e.valence(), e.activation(), e.dominance()}) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("value " + v + " of " + e.utteranceId() + " cannot be written");
      }
    }
    for (String line : e.annotatorLines()) {
      if (!isAnnotatorLine(line.strip()) || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("not a single C-/A- annotator line in " + e.utteranceId() + ": " + line);
      }
    }
  }
}
