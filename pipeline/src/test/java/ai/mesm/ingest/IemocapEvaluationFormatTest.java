package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IemocapEvaluationFormatTest {
  private static final String FILE = "iemocap/Ses01F_impro01_evaluation.txt";

  @Test
  void readsConsensusLinesAndKeepsTheirAnnotatorLines() {
    Parsed<EmoEvaluation> p = IemocapEvaluationFormat.parse(FILE, Fixtures.lines(FILE));
    assertEquals(List.of(
        new EmoEvaluation("Ses01F_impro01_F000", 6.2901, 8.2357, "neu", 2.5, 2.5, 2.5, List.of(
            "C-E2:\tNeutral;\t()",
            "C-E3:\tNeutral;\t()",
            "C-E4:\tNeutral;\t()",
            "C-F1:\tNeutral;\t(curious)",
            "A-E3:\tval 3; act 2; dom  2;\t()",
            "A-E4:\tval 2; act 3; dom  3;\t(mildly aggravated instead of frustrated)",
            "A-F1:\tval 3; act 2; dom  1;\t()")),
        // labels outside the 6 classes are read: the ingest decides what to do with them
        new EmoEvaluation("Ses01F_impro01_F001", 10.01, 11.3925, "xxx", 2.0, 2.5, 2.5,
            List.of("C-E2:\tFrustration; Neutral;\t()", "C-E3:\tAnger;\t()")),
        // a stray line inside a block does not cut the block's annotator lines off
        new EmoEvaluation("Ses01F_impro01_M001", 20.5, 23.25, "ang", 1.5, 4.0, 4.0,
            List.of("C-E1:\tAnger;\t()", "A-E1:\tval 1; act 4; dom  4;\t()")),
        // end before start is read too: the join rejects it with its own reason
        new EmoEvaluation("Ses01F_impro01_M004", 28.0, 27.5, "oth", 3.0, 3.0, 3.0, List.of())), p.items());
    assertEquals(List.of(
        new SkippedLine(FILE, 16, "[14.8872 - 18.0175\tSes01F_impro01_F002\tfru\t[2.0000, 3.5000, 3.5000]",
            "malformed_evaluation_line"),
        new SkippedLine(FILE, 18, "this line is not part of the format", "unexpected_line"),
        new SkippedLine(FILE, 22, "Comment: a stray note inside a block", "unexpected_line"),
        new SkippedLine(FILE, 25, "[24.0000 - 25.1.0000]\tSes01F_impro01_M002\tneu\t[3.0000, 3.0000, 3.0000]",
            "malformed_evaluation_line"),
        new SkippedLine(FILE, 27, "[26.0000 - 27.0000]\tM003\tneu\t[3.0000, 3.0000, 3.0000]",
            "malformed_evaluation_line")), p.skipped());
  }

  @Test
  void headerAnnotatorAndBlankLinesAreTheOnlyOnesIgnored() {
    List<String> lines = Fixtures.lines(FILE);
    Parsed<EmoEvaluation> p = IemocapEvaluationFormat.parse(FILE, lines);
    long ignorable = lines.stream().map(String::strip)
        .filter(l -> l.isEmpty() || l.startsWith("%") || l.startsWith("C-") || l.startsWith("A-")).count();
    assertEquals(lines.size() - ignorable, p.items().size() + p.skipped().size());
  }

  @Test
  void consensusLinesOfOtherShapesAreMalformed() {
    List<String> lines = List.of(
        "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu",
        "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000]",
        "[6.2901 - 8.2357]\tSes01F_impro01_F000\t[2.5000, 2.5000, 2.5000]",
        "[NaN - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]",
        "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, -2.5000, 2.5000]",
        "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000] trailing",
        "[]");
    Parsed<EmoEvaluation> p = IemocapEvaluationFormat.parse("e.txt", lines);
    assertEquals(List.of(), p.items());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), p.skipped().stream().map(SkippedLine::lineNumber).toList());
    assertTrue(p.skipped().stream().allMatch(s -> s.reason().equals("malformed_evaluation_line")));
  }

  @Test
  void annotatorLinesOfAnUnreadableBlockBelongToNoItem() {
    List<String> lines = List.of(
        "[1.0000 - 2.0000]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]",
        "C-E1:\tNeutral;\t()",
        "",
        "[3.0000 - 4.0000\tSes01F_impro01_F001\tneu\t[2.5000, 2.5000, 2.5000]",
        "C-E1:\tAnger;\t()",
        "A-E1:\tval 1; act 4; dom  4;\t()");
    Parsed<EmoEvaluation> p = IemocapEvaluationFormat.parse("e.txt", lines);
    assertEquals(List.of(new EmoEvaluation("Ses01F_impro01_F000", 1, 2, "neu", 2.5, 2.5, 2.5,
        List.of("C-E1:\tNeutral;\t()"))), p.items());
    assertEquals(List.of(new SkippedLine("e.txt", 4, lines.get(3), "malformed_evaluation_line")), p.skipped());
  }

  @Test
  void toleratesSpacesForTabsAndAByteOrderMark() {
    List<String> lines = List.of("\uFEFF" + IemocapEvaluationFormat.HEADER, "",
        "[6.2901 - 8.2357]  Ses01F_impro01_F000 neu [2.5000,2.5000, 2.5000]  ", "  C-E2:\tNeutral;\t()");
    Parsed<EmoEvaluation> p = IemocapEvaluationFormat.parse("e.txt", lines);
    assertEquals(List.of(new EmoEvaluation("Ses01F_impro01_F000", 6.2901, 8.2357, "neu", 2.5, 2.5, 2.5,
        List.of("  C-E2:\tNeutral;\t()"))), p.items());
    assertEquals(List.of(), p.skipped());
  }

  @Test
  void writesTheReleaseLayout() {
    List<EmoEvaluation> entries = List.of(
        new EmoEvaluation("Ses02M_script01_1_F003", 12.5, 15.25, "hap", 4.0, 3.0, 3.5,
            List.of("C-E1:\tHappiness;\t()", "A-E1:\tval 4; act 3; dom  4;\t()")),
        new EmoEvaluation("Ses02M_script01_1_M000", 16.0, 17.0, "sad", 1.5, 2.0, 2.0, List.of()));
    assertEquals("% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n"
        + "\n"
        + "[12.5000 - 15.2500]\tSes02M_script01_1_F003\thap\t[4.0000, 3.0000, 3.5000]\n"
        + "C-E1:\tHappiness;\t()\n"
        + "A-E1:\tval 4; act 3; dom  4;\t()\n"
        + "\n"
        + "[16.0000 - 17.0000]\tSes02M_script01_1_M000\tsad\t[1.5000, 2.0000, 2.0000]\n"
        + "\n", IemocapEvaluationFormat.format(entries));
    assertEquals(IemocapEvaluationFormat.HEADER + "\n\n", IemocapEvaluationFormat.format(List.of()));
  }

  @Test
  void refusesToWriteWhatWouldNotReadBack() {
    assertThrows(IllegalArgumentException.class, () -> IemocapEvaluationFormat.format(List.of(
        new EmoEvaluation("F000", 1, 2, "neu", 2, 2, 2, List.of()))));
    assertThrows(IllegalArgumentException.class, () -> IemocapEvaluationFormat.format(List.of(
        new EmoEvaluation("Ses01F_impro01_F000", 1, 2, "two words", 2, 2, 2, List.of()))));
    assertThrows(IllegalArgumentException.class, () -> IemocapEvaluationFormat.format(List.of(
        new EmoEvaluation("Ses01F_impro01_F000", 1, 2, "neu", -2, 2, 2, List.of()))));
    assertThrows(IllegalArgumentException.class, () -> IemocapEvaluationFormat.format(List.of(
        new EmoEvaluation("Ses01F_impro01_F000", 1, 2, "neu", 2, 2, 2, List.of("Neutral;")))));
    assertThrows(IllegalArgumentException.class, () -> IemocapEvaluationFormat.format(List.of(
        new EmoEvaluation("Ses01F_impro01_F000", 1, 2, "neu", 2, 2, 2, List.of("C-E1:\tNeutral;\n()")))));
  }

  @Test
  void roundTripsGeneratedEntries() {
    SplittableRandom rng = new SplittableRandom(11);
    List<String> labels = List.of("neu", "hap", "sad", "ang", "exc", "fru", "sur", "fea", "dis", "oth", "xxx");
    List<EmoEvaluation> written = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // Values on the printed 4-decimal grid, each the double nearest its decimal (see the transcript test).
      int start = rng.nextInt(0, 20_000_000);
      int end = start + rng.nextInt(1, 300_000);
      List<String> annotators = new ArrayList<>();
      for (int a = rng.nextInt(5); a > 0; a--) {
        annotators.add((rng.nextBoolean() ? "C-E" : "A-E") + a + ":\t" + Generated.text(rng, ";[]()%\t") + ";\t()");
      }
      written.add(new EmoEvaluation(Generated.iemocapId(rng), start / 10_000.0, end / 10_000.0,
          labels.get(rng.nextInt(labels.size())), rng.nextInt(10_000, 50_001) / 10_000.0,
          rng.nextInt(10_000, 50_001) / 10_000.0, rng.nextInt(10_000, 50_001) / 10_000.0, annotators));
    }
    Parsed<EmoEvaluation> read = IemocapEvaluationFormat.parse("e.txt",
        IemocapEvaluationFormat.format(written).lines().toList());
    assertEquals(written, read.items());
    assertEquals(List.of(), read.skipped());
  }
}
