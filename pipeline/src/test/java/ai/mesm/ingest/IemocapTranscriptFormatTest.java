package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class IemocapTranscriptFormatTest {
  private static final String FILE = "iemocap/Ses01F_impro01_transcription.txt";

  @Test
  void readsTheRealFormat() {
    Parsed<TranscriptLine> p = IemocapTranscriptFormat.parse(FILE, Fixtures.lines(FILE));
    assertEquals(List.of(
        new TranscriptLine("Ses01F_impro01_F000", 6.2901, 8.2357, "Excuse me."),
        new TranscriptLine("Ses01F_impro01_M000", 7.5712, 10.4750, "Do you have your forms?"),
        new TranscriptLine("Ses01F_impro01_F001", 10.0100, 11.3925, "Yeah."),
        new TranscriptLine("Ses01F_impro01_MXX0", 11.5, 12.0, "[BREATHING]"),
        // the text is everything after the FIRST "]: ", even when it holds another one
        new TranscriptLine("Ses04F_script01_1_F024", 100.0, 103.5, "Time: [12]: said so.")), p.items());
    assertEquals(List.of(
        new SkippedLine(FILE, 5, "M: [GARBAGE]", IemocapTranscriptFormat.NOT_AN_UTTERANCE_LINE),
        new SkippedLine(FILE, 8, "Ses01F_impro01_F002 [014.8872-bad]: Broken time.", IemocapTranscriptFormat.BAD_TIMES),
        new SkippedLine(FILE, 9, "Ses01F_impro01_F003 [020.0000-019.0000]: Ends before it starts.",
            IemocapTranscriptFormat.BAD_TIMES)), p.skipped());
  }

  @Test
  void formatsLikeTheReleaseAndReadsItsOwnOutputBack() {
    TranscriptLine line = new TranscriptLine("Ses01F_impro01_F000", 6.2901, 8.2357, "Excuse me.");
    assertEquals("Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.", IemocapTranscriptFormat.format(line));
    TranscriptLine long_ = new TranscriptLine("Ses05M_script03_2_M041", 1234.5, 1240.0001, "Well: [laughs] ok]: fine");
    String text = IemocapTranscriptFormat.format(long_);
    assertEquals(List.of(long_), IemocapTranscriptFormat.parse("x", List.of(text)).items());
  }
}
