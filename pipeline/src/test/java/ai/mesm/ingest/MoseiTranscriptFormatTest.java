package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
        new MoseiSegment("ends_with_u_", 4, 5.5, 7.25, "trailing underscore id."),
        new MoseiSegment("zz9", 5, 1.0E-4, 25.0, "exponent time"),
        new MoseiSegment("two__under", 8, 3.0, 4.0, "double underscore inside the id"),
        new MoseiSegment("dash-end-", 9, -0.5, 1.0, "negative start is read, the ingest judges it"),
        new MoseiSegment("ends2__", 11, 1.0, 2.0, "two trailing underscores")), p.items());
    assertEquals(List.of(
        new SkippedLine(FILE, 6, "not a segment line", "malformed_segment_line"),
        new SkippedLine(FILE, 8, "-3g5yACwYnA___x___1___2___bad clip", "malformed_segment_line"),
        new SkippedLine(FILE, 10, "-3g5yACwYnA___6___NaN___2.0___not a number", "malformed_segment_line"),
        new SkippedLine(FILE, 11, "___7___1.0___2.0___no id", "malformed_segment_line"),
        new SkippedLine(FILE, 14, "-3g5yACwYnA___10___1.0___2.0", "malformed_segment_line"),
        new SkippedLine(FILE, 15, "-3g5yACwYnA___99999999999___1.0___2.0___clip past int range",
            "malformed_segment_line")), p.skipped());
  }

  @Test
  void everyNonBlankLineIsAnItemOrSkipped() {
    List<String> lines = Fixtures.lines(FILE);
    Parsed<MoseiSegment> p = MoseiTranscriptFormat.parse(FILE, lines);
    assertEquals(lines.stream().filter(l -> !l.isBlank()).count(), p.items().size() + p.skipped().size());
  }

  @Test
  void numbersThatParseDoubleWouldAcceptAreMalformed() {
    List<String> lines = List.of("v___1___Infinity___2.0___t", "v___1___1.0d___2.0___t", "v___1___.5___2.0___t",
        "v___1___1e999___2.0___t", "v___-1___1.0___2.0___t", "v___1.0___1.0___2.0___t", "v___ 1___1.0___2.0___t");
    Parsed<MoseiSegment> p = MoseiTranscriptFormat.parse("s.txt", lines);
    assertEquals(List.of(), p.items());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), p.skipped().stream().map(SkippedLine::lineNumber).toList());
  }

  @Test
  void aByteOrderMarkDoesNotBecomePartOfTheFirstId() {
    Parsed<MoseiSegment> p = MoseiTranscriptFormat.parse("s.txt", List.of("\uFEFF-3g5yACwYnA___0___1.0___2.0___hi"));
    assertEquals(List.of(new MoseiSegment("-3g5yACwYnA", 0, 1.0, 2.0, "hi")), p.items());
  }

  @Test
  void formatsTimesAsShortestDecimals() {
    assertEquals("-a_b-___12___0.1___0.6666666666666666___text, with ___ inside",
        MoseiTranscriptFormat.format(new MoseiSegment("-a_b-", 12, 0.1, 2.0 / 3, "text, with ___ inside")));
    assertEquals("x___0___12.0___250.125___", MoseiTranscriptFormat.format(new MoseiSegment("x", 0, 12, 250.125, "")));
    assertEquals("ab____3___1.0E-5___-0.5___t", MoseiTranscriptFormat.format(new MoseiSegment("ab_", 3, 1e-5, -0.5, "t")));
  }

  @Test
  void refusesToWriteWhatWouldNotReadBack() {
    for (MoseiSegment bad : List.of(new MoseiSegment("", 0, 1, 2, "t"), new MoseiSegment("a___1___2___3", 0, 1, 2, "t"),
        new MoseiSegment("a", -1, 1, 2, "t"), new MoseiSegment("a", 0, Double.NaN, 2, "t"),
        new MoseiSegment("a", 0, 1, Double.POSITIVE_INFINITY, "t"), new MoseiSegment("a", 0, 1, 2, "t\nu"),
        new MoseiSegment("a\r", 0, 1, 2, "t"))) {
      assertThrows(IllegalArgumentException.class, () -> MoseiTranscriptFormat.format(bad), bad.toString());
    }
    // "___" inside an id is only refused where it makes the line ambiguous.
    assertEquals("a___b___0___1.0___2.0___t", MoseiTranscriptFormat.format(new MoseiSegment("a___b", 0, 1, 2, "t")));
    // Writable on purpose: end before start is the ingest's end_not_after_start case.
    MoseiSegment backwards = new MoseiSegment("a", 0, 2, 1, "t");
    assertEquals(List.of(backwards),
        MoseiTranscriptFormat.parse("s.txt", List.of(MoseiTranscriptFormat.format(backwards))).items());
  }

  @Test
  void roundTripsGeneratedSegmentsExactly() {
    SplittableRandom rng = new SplittableRandom(3);
    List<MoseiSegment> written = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      double start = switch (i % 4) {
        case 0 -> rng.nextDouble() * 600;                    // full-precision doubles
        case 1 -> rng.nextInt(60_000) / 100.0;               // the release's own 2-decimal times
        case 2 -> rng.nextInt(600);                          // whole seconds print as "12.0"
        default -> Double.longBitsToDouble(rng.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL); // any finite, E notation
      };
      double end = i % 4 == 3 ? -start : start + rng.nextDouble() * 30;
      written.add(new MoseiSegment(Generated.youtubeId(rng), rng.nextInt(0, 1000), start, end,
          Generated.text(rng, "___ -,0123456789.")));
    }
    List<String> lines = written.stream().map(MoseiTranscriptFormat::format).toList();
    Parsed<MoseiSegment> read = MoseiTranscriptFormat.parse("s.txt", lines);
    assertEquals(List.of(), read.skipped());
    assertEquals(written, read.items());
  }
}
