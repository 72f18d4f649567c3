package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MoseiLabelFormatTest {
  private static final String FILE = "mosei/Batch_1234567_batch_results.csv";
  private static final String HEADER = "HITId,WorkerId,Input.VIDEO_ID,Input.CLIP,Answer.anger,Answer.disgust,"
      + "Answer.fear,Answer.happiness,Answer.sadness,Answer.surprise,Answer.sentiment,Answer.comments";

  private static Parsed<MoseiAnnotation> parse(String path, String text) throws IOException {
    return MoseiLabelFormat.parse(path, new StringReader(text));
  }

  @Test
  void readsMTurkBatchesByColumnNameWithQuotedMultilineFields() throws IOException {
    Parsed<MoseiAnnotation> p = parse(FILE, Fixtures.text(FILE));
    assertEquals(List.of(
        new MoseiAnnotation("-3g5yACwYnA", 0, "A1WORKER", List.of(0, 0, 0, 2, 0, 1)),
        new MoseiAnnotation("-3g5yACwYnA", 0, "A2WORKER", List.of(0, 0, 0, 1, 0, 0)),
        new MoseiAnnotation("_0efYOjQYRc", 1, "A3WORKER", List.of(3, 1, 0, 0, 0, 0)),
        new MoseiAnnotation("ends_with_u_", 2, "A6WORKER", List.of(0, 1, 0, 0, 2, 0))), p.items());
    // Line numbers are the rows' first physical lines: the quoted comments span lines 2-3 and 9-11.
    assertEquals(List.of(
        new SkippedLine(FILE, 6, "3ABF,3TYPE,\"Rate the video, please\",A4WORKER,Approved,1,_0efYOjQYRc,5,0,0,0,0,0,-2,"
            + "out of range,,", "malformed_label_row"),
        new SkippedLine(FILE, 7, "3ABG,3TYPE,Rate,A5WORKER,Approved,x,_0efYOjQYRc,0,0,0,0,0,0,0,,,",
            "malformed_label_row"),
        new SkippedLine(FILE, 12, "3ABI,3TYPE,Rate,A7WORKER,Approved,2,http://host/videos/ends_with_u_,0,1.5,0,0,0,0,0,,,",
            "malformed_label_row"),
        new SkippedLine(FILE, 13, "3ABJ,3TYPE,Rate", "malformed_label_row"),
        new SkippedLine(FILE, 14, "3ABK,3TYPE,Rate,A9WORKER,Approved,3,http://host/videos/,0,0,0,0,0,0,0,,,",
            "malformed_label_row")), p.skipped());
  }

  @Test
  void aMissingColumnIsAnErrorNamingTheFileAndColumn() {
    String csv = "HITId,Input.VIDEO_ID,Input.CLIP,Answer.anger,Answer.disgust,Answer.happiness,Answer.sadness,"
        + "Answer.surprise\nH,v,0,0,0,0,0,0\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("labels/b.csv", csv));
    assertEquals("labels/b.csv: label file has no column Answer.fear", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("labels/c.csv", ""));
    assertEquals("labels/c.csv: empty label file (no header)", e.getMessage());
  }

  @Test
  void theWorkerColumnIsOptionalAndHeadersMayHaveAByteOrderMarkAndSpaces() throws IOException {
    String csv = "\uFEFFInput.VIDEO_ID , Input.CLIP,Answer.anger,Answer.disgust,Answer.fear,Answer.happiness,"
        + "Answer.sadness,Answer.surprise\r\nv_1, 4 ,1,0,0,0,0, 3\r\n";
    assertEquals(List.of(new MoseiAnnotation("v_1", 4, "", List.of(1, 0, 0, 0, 0, 3))), parse("x.csv", csv).items());
  }

  @Test
  void badNumbersAndShortRowsAreMalformedRows() throws IOException {
    String csv = HEADER + "\n"
        + "H1,W1,v,-1,0,0,0,0,0,0,0,\n"   // negative clip
        + "H2,W2,v,99999999999,0,0,0,0,0,0,0,\n"   // clip past int range
        + "H3,W3,v,0,0,0,-1,0,0,0,0,\n"   // intensity below 0
        + "H4,W4,v,0,0,0,0,4,0,0,0,\n"    // intensity above 3
        + "H5,W5,v,0,0,,0,0,0,0,0,\n"     // empty intensity
        + "H6,W6,v,0,0,0,0,0,0\n"         // no surprise field
        + "H7,W7,,0,0,0,0,0,0,0,0,\n"     // no video id
        + "H8,W8,v,0,0,0,0,0,0,0,0,\n";   // fine
    Parsed<MoseiAnnotation> p = parse("b.csv", csv);
    assertEquals(List.of(new MoseiAnnotation("v", 0, "W8", List.of(0, 0, 0, 0, 0, 0))), p.items());
    assertEquals(List.of(2, 3, 4, 5, 6, 7, 8), p.skipped().stream().map(SkippedLine::lineNumber).toList());
    assertTrue(p.skipped().stream().allMatch(s -> s.reason().equals("malformed_label_row")));
  }

  @Test
  void aRowWithAnUnclosedQuoteIsMalformedAndKeepsTheLinesItSwallowed() throws IOException {
    String csv = HEADER + "\nH1,W1,v,0,0,0,0,0,0,0,0,\"never closed\nH2,W2,v,1,0,0,0,0,0,0,0,\n";
    Parsed<MoseiAnnotation> p = parse("b.csv", csv);
    assertEquals(List.of(), p.items());
    String problem = "a quote is never closed: the record runs to the end of the file (a quoted field runs over lines 2-3)";
    assertEquals(List.of(
        new SkippedLine("b.csv", 2, "H1,W1,v,0,0,0,0,0,0,0,0,\"never closed", "malformed_label_row", problem),
        new SkippedLine("b.csv", 3, "H2,W2,v,1,0,0,0,0,0,0,0,", "malformed_label_row", problem)), p.skipped());
    assertEquals(2, p.lines());
  }

  /**
   * A quote opened in one row and closed by a quote in a later row makes one record of five
   * physical rows: it must not become an annotation (the swallowed rows' clips would lose an
   * annotator each, and the record's own fields come from two rows), and every swallowed line is
   * a reject of its own, so the line count still adds up.
   */
  @Test
  void aQuoteLeftOpenCannotSwallowTheRowsThatFollow() throws IOException {
    String csv = HEADER + "\n"
        + "H1,W1,v,0,0,0,0,0,0,0,0,\"oops\n"      // opens a quote in the comments
        + "H2,W2,v,1,0,0,0,0,0,0,0,\n"
        + "H3,W3,v,2,0,0,0,0,0,0,0,\n"
        + "H4,W4,v,3,0,0,0,0,0,0,0,\n"
        + "H5,W5,v,4,3,0,0,0,0,0,0,\"closed\"\n"   // closes it: lines 2-6 are one record of 12 fields
        + "H6,W6,v,5,0,0,0,1,0,0,0,\n";
    Parsed<MoseiAnnotation> p = parse("b.csv", csv);
    assertEquals(List.of(new MoseiAnnotation("v", 5, "W6", List.of(0, 0, 0, 1, 0, 0))), p.items());
    assertEquals(List.of(2, 3, 4, 5, 6), p.skipped().stream().map(SkippedLine::lineNumber).toList());
    assertTrue(p.skipped().get(1).description().contains("swallows lines that read as whole rows"),
        p.skipped().get(1).description());
    assertEquals(6, p.lines(), "physical data lines, not records");

    // The quote opened inside a field the labels come from: the record has too many fields.
    String inEmotion = HEADER + "\nH1,W1,v,0,\"0\nH2,W2,v,1,0,0,0,0,0,0,0,\",0,0,0,0,0,0,\nH3,W3,v,2,0,0,0,0,0,0,0,\n";
    Parsed<MoseiAnnotation> q = parse("c.csv", inEmotion);
    assertEquals(List.of(new MoseiAnnotation("v", 2, "W3", List.of(0, 0, 0, 0, 0, 0))), q.items());
    assertEquals(List.of(2, 3), q.skipped().stream().map(SkippedLine::lineNumber).toList());
  }

  @Test
  void rejectDetailsNameTheLineButNeverQuoteIt() throws IOException {
    String csv = HEADER + "\nroot:x:0:0:secret-looking line from another file\n";
    SkippedLine s = parse("/in/Labels/b.csv", csv).skipped().get(0);
    Reject r = Reject.ofLine("mosei", s);
    assertFalse(r.detail().contains("root:x") || r.detail().contains("secret"), r.detail());
    assertTrue(r.detail().contains("line 2 of /in/Labels/b.csv"), r.detail());
  }

  @Test
  void writesTheHeaderAndQuotesOnlyWhereNeeded() {
    String text = MoseiLabelFormat.format(List.of(
        new MoseiLabelFormat.Row("H1", "W1", "http://h/videos/-x_y", 3, List.of(1, 0, 0, 3, 0, 2), -2,
            "a, \"quoted\"\nnew line"),
        new MoseiLabelFormat.Row("H2", "W2", "z", 0, List.of(0, 0, 0, 0, 0, 0), 0, "")));
    assertEquals(HEADER + "\n"
        + "H1,W1,http://h/videos/-x_y,3,1,0,0,3,0,2,-2,\"a, \"\"quoted\"\"\nnew line\"\n"
        + "H2,W2,z,0,0,0,0,0,0,0,0,\n", text);
    assertThrows(IllegalArgumentException.class, () -> MoseiLabelFormat.format(List.of(
        new MoseiLabelFormat.Row("H", "W", "v", 0, List.of(0, 0, 0), 0, ""))));
  }

  @Test
  void roundTripsGeneratedRows() throws IOException {
    SplittableRandom rng = new SplittableRandom(5);
    List<String> prefixes = List.of("", "videos/", "http://host/videos/", "https://www.example.org/a,b/");
    List<MoseiLabelFormat.Row> written = new ArrayList<>();
    List<MoseiAnnotation> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String videoId = Generated.youtubeId(rng);
      int clip = rng.nextInt(0, 100);
      String worker = "A" + Generated.youtubeId(rng).toUpperCase();
      List<Integer> intensities = new ArrayList<>();
      for (int e = 0; e < 6; e++) intensities.add(rng.nextInt(4));
      written.add(new MoseiLabelFormat.Row("H" + i, worker, prefixes.get(rng.nextInt(prefixes.size())) + videoId, clip,
          intensities, rng.nextInt(-3, 4), Generated.text(rng, ",\"\n\r\r\n")));
      expected.add(new MoseiAnnotation(videoId, clip, worker, intensities));
    }
    Parsed<MoseiAnnotation> p = parse("b.csv", MoseiLabelFormat.format(written));
    assertEquals(List.of(), p.skipped());
    assertEquals(expected, p.items());
  }
}
