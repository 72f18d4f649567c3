package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IemocapTranscriptFormatTest {
  private static final String FILE = "iemocap/Ses01F_impro01_transcription.txt";

  @Test
  void readsTheReleaseFormat() {
    Parsed<TranscriptLine> p = IemocapTranscriptFormat.parse(FILE, Fixtures.lines(FILE));
    assertEquals(List.of(
        new TranscriptLine("Ses01F_impro01_F000", 6.2901, 8.2357, "Excuse me."),
        new TranscriptLine("Ses01F_impro01_M000", 7.5712, 10.4750, "Do you have your forms?"),
        new TranscriptLine("Ses01F_impro01_F001", 10.0100, 11.3925, "Yeah."),
        new TranscriptLine("Ses01F_impro01_MXX0", 11.5, 12.0, "[BREATHING]"),
        // the text is everything after the FIRST "]: ", even when it holds another one
        new TranscriptLine("Ses04F_script01_1_F024", 100.0, 103.5, "Time: [12]: said so."),
        new TranscriptLine("Ses01F_impro01_M002", 1234.5, 1240.0001, "A long dialog."),
        new TranscriptLine("Ses01F_impro01_M003", 23.0, 24.0, ""),
        new TranscriptLine("Ses01F_impro01_M004", 25.0, 25.0, ""),
        new TranscriptLine("Ses01F_impro01_M005", 26.0, 27.0, "Spaces inside the brackets.")), p.items());
    assertEquals(List.of(
        new SkippedLine(FILE, 5, "M: [GARBAGE]", "not_an_utterance_line"),
        new SkippedLine(FILE, 8, "Ses01F_impro01_F002 [014.8872-bad]: Broken time.", "bad_times"),
        new SkippedLine(FILE, 9, "Ses01F_impro01_F003 [020.0000-019.0000]: Ends before it starts.", "bad_times"),
        new SkippedLine(FILE, 10, "F004 [021.0000-022.0000]: An id without underscores.", "not_an_utterance_line"),
        new SkippedLine(FILE, 11, "Ses01F_impro01_F005 [NaN-NaN]: Not a number.", "bad_times")), p.skipped());
  }

  @Test
  void everyNonBlankLineIsAnItemOrSkipped() {
    List<String> lines = Fixtures.lines(FILE);
    Parsed<TranscriptLine> p = IemocapTranscriptFormat.parse(FILE, lines);
    long nonBlank = lines.stream().filter(l -> !l.isBlank()).count();
    assertEquals(nonBlank, p.items().size() + p.skipped().size());
  }

  @Test
  void linesOfOtherShapesAreNotUtterances() {
    List<String> lines = List.of(
        "Ses01F_impro01_F000 006.2901-008.2357: no brackets",
        "Ses01F_impro01_F000 [006.2901-008.2357] no colon",
        "Ses01F_impro01_F000[006.2901-008.2357]: no space before the bracket",
        " Ses01F_impro01_F000 [006.2901-008.2357]: leading space",
        "_impro01_F000 [006.2901-008.2357]: empty first field",
        "Ses01F__F000 [006.2901-008.2357]: empty middle field",
        "Ses01F_impro01_ [006.2901-008.2357]: empty last field",
        "Ses01F_impro01_F000 [006.2901-008.2357]x: junk after the bracket");
    Parsed<TranscriptLine> p = IemocapTranscriptFormat.parse("t.txt", lines);
    assertEquals(List.of(), p.items());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), p.skipped().stream().map(SkippedLine::lineNumber).toList());
    assertTrue(p.skipped().stream().allMatch(s -> s.reason().equals("not_an_utterance_line")));
  }

  @Test
  void timesThatParseDoubleWouldAcceptAreStillBad() {
    List<String> lines = List.of(
        "Ses01F_impro01_F000 [1e1-2e1]: exponent",
        "Ses01F_impro01_F000 [6.5d-8.0]: type suffix",
        "Ses01F_impro01_F000 [Infinity-Infinity]: infinite",
        "Ses01F_impro01_F000 [-1.0-2.0]: negative",
        "Ses01F_impro01_F000 []: nothing",
        "Ses01F_impro01_F000 [6.0]: one time");
    Parsed<TranscriptLine> p = IemocapTranscriptFormat.parse("t.txt", lines);
    assertEquals(List.of(), p.items());
    assertEquals(List.of("bad_times", "bad_times", "bad_times", "bad_times", "bad_times", "bad_times"),
        p.skipped().stream().map(SkippedLine::reason).toList());
  }

  @Test
  void aByteOrderMarkDoesNotBecomePartOfTheFirstId() {
    Parsed<TranscriptLine> p = IemocapTranscriptFormat.parse("t.txt",
        List.of("\uFEFFSes01F_impro01_F000 [006.2901-008.2357]: Excuse me."));
    assertEquals(List.of(new TranscriptLine("Ses01F_impro01_F000", 6.2901, 8.2357, "Excuse me.")), p.items());
  }

  @Test
  void formatsLikeTheRelease() {
    assertEquals("Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.",
        IemocapTranscriptFormat.format(new TranscriptLine("Ses01F_impro01_F000", 6.2901, 8.2357, "Excuse me.")));
    assertEquals("Ses05M_script03_2_M041 [1234.5000-1240.0001]: ",
        IemocapTranscriptFormat.format(new TranscriptLine("Ses05M_script03_2_M041", 1234.5, 1240.0001, "")));
    assertEquals("Ses01F_impro01_F000 [000.0000-000.1235]: x",
        IemocapTranscriptFormat.format(new TranscriptLine("Ses01F_impro01_F000", 0, 0.12345, "x")), "rounds half up");
  }

  @Test
  void refusesToWriteWhatWouldNotReadBack() {
    assertThrows(IllegalArgumentException.class,
        () -> IemocapTranscriptFormat.format(new TranscriptLine("F000", 1, 2, "no underscore")));
    assertThrows(IllegalArgumentException.class,
        () -> IemocapTranscriptFormat.format(new TranscriptLine("Ses01F_impro01_F000", 1, 2, "two\nlines")));
    assertThrows(IllegalArgumentException.class,
        () -> IemocapTranscriptFormat.format(new TranscriptLine("Ses01F_impro01_F000", -1, 2, "negative")));
    assertThrows(IllegalArgumentException.class,
        () -> IemocapTranscriptFormat.format(new TranscriptLine("Ses01F_impro01_F000", 1, Double.NaN, "nan")));
    // Writable on purpose, so that a test corpus can hold a line the reader rejects.
    TranscriptLine backwards = new TranscriptLine("Ses01F_impro01_F000", 2, 1, "backwards");
    assertEquals("bad_times", IemocapTranscriptFormat.parse("t.txt",
        List.of(IemocapTranscriptFormat.format(backwards))).skipped().get(0).reason());
  }

  @Test
  void roundTripsGeneratedLines() {
    SplittableRandom rng = new SplittableRandom(7);
    List<TranscriptLine> written = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // Times on the 0.1 ms grid the format prints, each the double nearest its decimal (ticks / 1e4
      // is, a sum of two such doubles need not be); up to 4 integer digits, as long dialogs pass 1000 s.
      int start = rng.nextInt(0, 20_000_000);
      int end = start + rng.nextInt(0, 300_000);
      written.add(new TranscriptLine(Generated.iemocapId(rng), start / 10_000.0, end / 10_000.0,
          Generated.text(rng, " ]:[-_")));
    }
    List<String> lines = written.stream().map(IemocapTranscriptFormat::format).toList();
    Parsed<TranscriptLine> read = IemocapTranscriptFormat.parse("t.txt", lines);
    assertEquals(written, read.items());
    assertEquals(List.of(), read.skipped());
  }
}
