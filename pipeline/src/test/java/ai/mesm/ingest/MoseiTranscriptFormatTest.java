package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class MoseiTranscriptFormatTest {
  private static final String FILE = "mosei/segments.txt";

  @Test
  void splitsIdsThatContainUnderscoresAndDashes() {
    Parsed<MoseiSegment> p = MoseiTranscriptFormat.parse(FILE, Fixtures.lines(FILE));
    assertEquals(List.of(
        new MoseiSegment("-3g5yACwYnA", 0, 12.34, 15.6, "I really liked this movie."),
        new MoseiSegment("-3g5yACwYnA", 1, 15.6, 19.01, "it was great___really"),
        new MoseiSegment("_0efYOjQYRc", 2, 0.0, 3.5, "so ___ what"),
        new MoseiSegment("ab_c-d_e_f", 3, 1, 2, ""),
        new MoseiSegment("ends_with_u_", 4, 5.5, 7.25, "trailing underscore id.")), p.items());
    assertEquals(List.of(
        new SkippedLine(FILE, 6, "not a segment line", MoseiTranscriptFormat.MALFORMED_SEGMENT_LINE),
        new SkippedLine(FILE, 8, "-3g5yACwYnA___x___1___2___bad clip", MoseiTranscriptFormat.MALFORMED_SEGMENT_LINE)),
        p.skipped());
  }

  @Test
  void roundTripsExactly() {
    List<MoseiSegment> segments = List.of(new MoseiSegment("-a_b-", 12, 0.1, 2.0 / 3, "text, with ___ inside"),
        new MoseiSegment("x", 0, 100, 250.125, ""));
    List<String> lines = segments.stream().map(MoseiTranscriptFormat::format).toList();
    assertEquals("-a_b-___12___0.1___0.6666666666666666___text, with ___ inside", lines.get(0));
    assertEquals(segments, MoseiTranscriptFormat.parse("x", lines).items());
  }
}
