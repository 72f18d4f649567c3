package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IEMOCAP {@code EmoEvaluation/<dialog>.txt}: a header, then per utterance a consensus line
 * "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]", its annotators' lines
 * and a blank line. Header, annotator and blank lines are part of the format, not items.
 */
public final class IemocapEvaluationFormat {
  public static final String HEADER = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]";
  public static final String MALFORMED_EVALUATION_LINE = "malformed_evaluation_line";
  public static final String UNEXPECTED_LINE = "unexpected_line";

  private static final Pattern CONSENSUS = Pattern.compile(
      "^\\[\\s*([0-9.]+)\\s*-\\s*([0-9.]+)\\s*\\]\\s+(\\S+)\\s+(\\S+)\\s+\\[\\s*([0-9.]+),\\s*([0-9.]+),\\s*([0-9.]+)\\s*\\]\\s*$");

  private IemocapEvaluationFormat() {}

  public static String format(List<EmoEvaluation> entries) {
    StringBuilder sb = new StringBuilder(HEADER).append("\n\n");
    for (EmoEvaluation e : entries) {
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
      String line = lines.get(i);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("%")) continue;
      if (trimmed.startsWith("C-") || trimmed.startsWith("A-")) {
        if (open != null) annotators.add(line);
        continue;
      }
      if (trimmed.startsWith("[")) {
        Matcher m = CONSENSUS.matcher(trimmed);
        if (!m.matches()) {
          skipped.add(new SkippedLine(sourcePath, i + 1, line, MALFORMED_EVALUATION_LINE));
          continue;
        }
        if (open != null) items.add(entry(open, annotators));
        open = m;
        annotators = new ArrayList<>();
        continue;
      }
      skipped.add(new SkippedLine(sourcePath, i + 1, line, UNEXPECTED_LINE));
    }
    if (open != null) items.add(entry(open, annotators));
    return new Parsed<>(items, skipped);
  }

  private static EmoEvaluation entry(Matcher m, List<String> annotators) {
    return new EmoEvaluation(m.group(3), Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), m.group(4),
        Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7)), annotators);
  }
}
