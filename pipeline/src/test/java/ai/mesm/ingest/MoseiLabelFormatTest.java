package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoseiLabelFormatTest {
  private static final String FILE = "mosei/Batch_1234567_batch_results.csv";

  @Test
  void readsMTurkBatchesByColumnNameWithQuotedMultilineFields() throws IOException {
    Parsed<MoseiAnnotation> p = MoseiLabelFormat.parse(FILE, new StringReader(Fixtures.text(FILE)));
    assertEquals(List.of(
        new MoseiAnnotation("-3g5yACwYnA", 0, "A1WORKER", List.of(0, 0, 0, 2, 0, 1)),
        new MoseiAnnotation("-3g5yACwYnA", 0, "A2WORKER", List.of(0, 0, 0, 1, 0, 0)),
        new MoseiAnnotation("_0efYOjQYRc", 1, "A3WORKER", List.of(3, 1, 0, 0, 0, 0))), p.items());
    assertEquals(List.of(6, 7), p.skipped().stream().map(SkippedLine::lineNumber).toList(),
        "line numbers count the physical lines of the quoted comment");
    assertTrue(p.skipped().stream().allMatch(s -> s.reason().equals(MoseiLabelFormat.MALFORMED_LABEL_ROW)));
    assertTrue(p.skipped().stream().allMatch(s -> s.sourcePath().equals(FILE)));
  }

  @Test
  void aMissingColumnIsAnErrorNamingTheFileAndColumn() {
    String csv = "HITId,Input.VIDEO_ID,Input.CLIP,Answer.anger,Answer.disgust,Answer.happiness,Answer.sadness,Answer.surprise\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MoseiLabelFormat.parse("labels/b.csv", new StringReader(csv)));
    assertEquals("labels/b.csv: label file has no column Answer.fear", e.getMessage());
  }

  @Test
  void roundTripsRowsWithAwkwardComments() throws IOException {
    List<MoseiLabelFormat.Row> rows = List.of(
        new MoseiLabelFormat.Row("H1", "W1", "videos/-x_y", 3, List.of(1, 0, 0, 3, 0, 2), 2, "a, \"quoted\"\nnew line"),
        new MoseiLabelFormat.Row("H2", "W2", "z", 0, List.of(0, 0, 0, 0, 0, 0), 0, ""));
    Parsed<MoseiAnnotation> p = MoseiLabelFormat.parse("x", new StringReader(MoseiLabelFormat.format(rows)));
    assertEquals(List.of(new MoseiAnnotation("-x_y", 3, "W1", List.of(1, 0, 0, 3, 0, 2)),
        new MoseiAnnotation("z", 0, "W2", List.of(0, 0, 0, 0, 0, 0))), p.items());
    assertEquals(List.of(), p.skipped());
  }
}
