package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class IemocapEvaluationFormatTest {
  private static final String FILE = "iemocap/Ses01F_impro01_evaluation.txt";

  @Test
  void readsConsensusLinesAndKeepsTheirAnnotatorLines() {
    Parsed<EmoEvaluation> p = IemocapEvaluationFormat.parse(FILE, Fixtures.lines(FILE));
    assertEquals(3, p.items().size());
    EmoEvaluation first = p.items().get(0);
    assertEquals("Ses01F_impro01_F000", first.utteranceId());
    assertEquals(6.2901, first.startS());
    assertEquals(8.2357, first.endS());
    assertEquals("neu", first.label());
    assertEquals(List.of(2.5, 2.5, 2.5), List.of(first.valence(), first.activation(), first.dominance()));
    assertEquals(7, first.annotatorLines().size());
    assertEquals("C-F1:\tNeutral;\t(curious)", first.annotatorLines().get(3));
    EmoEvaluation second = p.items().get(1);
    assertEquals("xxx", second.label(), "labels outside the 6 classes are read, the ingest decides");
    assertEquals(List.of("C-E2:\tFrustration; Neutral;\t()", "C-E3:\tAnger;\t()"), second.annotatorLines());
    EmoEvaluation third = p.items().get(2);
    assertEquals("Ses01F_impro01_M001", third.utteranceId());
    assertEquals(List.of(1.5, 4.0, 4.0), List.of(third.valence(), third.activation(), third.dominance()));
    assertEquals(List.of(
        new SkippedLine(FILE, 16, "[14.8872 - 18.0175\tSes01F_impro01_F002\tfru\t[2.0000, 3.5000, 3.5000]",
            IemocapEvaluationFormat.MALFORMED_EVALUATION_LINE),
        new SkippedLine(FILE, 17, "this line is not part of the format", IemocapEvaluationFormat.UNEXPECTED_LINE)),
        p.skipped());
  }

  @Test
  void writesTheReleaseLayoutAndReadsItBack() {
    List<EmoEvaluation> entries = List.of(
        new EmoEvaluation("Ses02M_script01_1_F003", 12.5, 15.25, "hap", 4.0, 3.0, 3.5,
            List.of("C-E1:\tHappiness;\t()", "A-E1:\tval 4; act 3; dom  4;\t()")),
        new EmoEvaluation("Ses02M_script01_1_M000", 16.0, 17.0, "sad", 1.5, 2.0, 2.0, List.of()));
    String text = IemocapEvaluationFormat.format(entries);
    assertTrue(text.startsWith(IemocapEvaluationFormat.HEADER + "\n\n[12.5000 - 15.2500]\tSes02M_script01_1_F003\thap\t"
        + "[4.0000, 3.0000, 3.5000]\nC-E1:\tHappiness;\t()\n"), text);
    Parsed<EmoEvaluation> back = IemocapEvaluationFormat.parse("x", text.lines().toList());
    assertEquals(entries, back.items());
    assertEquals(List.of(), back.skipped());
  }
}
