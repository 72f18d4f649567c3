package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  private static List<Csv.Row> read(String text) throws IOException {
    return Csv.read(new StringReader(text));
  }

  @Test
  void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
    List<Csv.Row> rows = read("a,\"b, \"\"c\"\"\nd\",e\nf,,\n");
    assertEquals(List.of(
        new Csv.Row(1, 2, List.of("a", "b, \"c\"\nd", "e"), "a,\"b, \"\"c\"\"\nd\",e", true),
        new Csv.Row(3, 3, List.of("f", "", ""), "f,,", true)), rows);
  }

  @Test
  void crlfAndLfEndsAndNoFinalEnd() throws IOException {
    assertEquals(List.of(new Csv.Row(1, 1, List.of("a", "b"), "a,b", true), new Csv.Row(2, 2, List.of("c"), "c", true),
        new Csv.Row(3, 4, List.of("\"d\r\ne\"", ""), "\"\"\"d\r\ne\"\"\",", true)), read("a,b\r\nc\n\"\"\"d\r\ne\"\"\","));
  }

  @Test
  void emptyLinesAreNoRecordsButCountAsLines() throws IOException {
    assertEquals(List.of(new Csv.Row(2, 2, List.of("a"), "a", true), new Csv.Row(5, 5, List.of("", ""), ",", true)),
        read("\na\n\r\n\n,\n\n"));
    assertEquals(List.of(), read(""));
  }

  @Test
  void aQuoteInsideAnUnquotedFieldIsPlainText() throws IOException {
    assertEquals(List.of(new Csv.Row(1, 1, List.of("5\" tall", "x"), "5\" tall,x", true)), read("5\" tall,x\n"));
  }

  @Test
  void anUnterminatedQuoteSwallowsTheRestAndIsFlagged() throws IOException {
    assertEquals(List.of(new Csv.Row(1, 1, List.of("a", "b"), "a,b", true),
            new Csv.Row(2, 3, List.of("c", "never closed\nd,e\n"), "c,\"never closed\nd,e\n", false)),
        read("a,b\nc,\"never closed\nd,e\n"));
  }

  @Test
  void writesQuotesOnlyWhereNeededAndReadsThemBack() throws IOException {
    List<String> fields = List.of("plain", "with, comma", "with \"quote\"", "two\nlines", "cr\rhere", "", " spaced ");
    String line = Csv.row(fields);
    assertEquals("plain,\"with, comma\",\"with \"\"quote\"\"\",\"two\nlines\",\"cr\rhere\",, spaced \n", line);
    assertEquals(fields, read(line).get(0).fields());
  }
}
