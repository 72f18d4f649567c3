package ai.mesm.ingest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks, so a record may
 * span several physical lines. Lenient where real exports are sloppy: a quote inside an unquoted
 * field is a plain character, and CRLF and LF line ends are both accepted.
 */
public final class Csv {
  /**
   * A record, the physical line it starts on (1-based) and its raw text without the line end, so
   * that a rejected row can be reported as it stood in the file.
   *
   * @param lastLine the physical line it ends on (greater than lineNumber when a quoted field holds line breaks)
   * @param complete false when the file ended inside a quoted field: the fields then swallowed
   *                 everything after the opening quote and cannot be trusted
   */
  public record Row(int lineNumber, int lastLine, List<String> fields, String raw, boolean complete) {
    public Row {
      fields = List.copyOf(fields);
    }

    /** The record's physical lines, without their line ends. */
    List<String> physicalLines() {
      return List.of(raw.split("\r?\n", -1)).subList(0, lastLine - lineNumber + 1);
    }
  }

  private Csv() {}

  /** All records; lines with nothing on them are not records. */
  public static List<Row> read(Reader reader) throws IOException {
    return new Lexer(reader).rows();
  }

  /** One record with its '\n' end; fields are quoted only when they must be. */
  static String row(List<String> fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) sb.append(',');
      String f = fields.get(i);
      if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
        sb.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(f);
      }
    }
    return sb.append('\n').toString();
  }

  private static final class Lexer {
    private final Reader reader;
    private int pushedBack = -2; // -2: nothing pushed back (-1 is end of input)
    private int line = 1;

    Lexer(Reader reader) {
      this.reader = reader;
    }

    List<Row> rows() throws IOException {
      List<Row> rows = new ArrayList<>();
      while (true) {
        int start = line;
        StringBuilder raw = new StringBuilder();
        List<String> fields = new ArrayList<>();
        int end = record(raw, fields);
        if (end == -1 && raw.isEmpty()) return rows;
        if (!raw.isEmpty()) rows.add(new Row(start, start + innerLineBreaks(raw), fields, raw.toString(), end != UNTERMINATED));
        if (end == -1 || end == UNTERMINATED) return rows;
      }
    }

    private static final int UNTERMINATED = -3;

    /** Line breaks inside a record's text (a record cut off by the end of the file may end with one). */
    private static int innerLineBreaks(StringBuilder raw) {
      int n = 0;
      for (int i = 0; i < raw.length(); i++) if (raw.charAt(i) == '\n') n++;
      return raw.length() > 0 && raw.charAt(raw.length() - 1) == '\n' ? n - 1 : n;
    }

    /** Reads one record into fields; returns '\n' at a line end, -1 at end of input, or UNTERMINATED. */
    private int record(StringBuilder raw, List<String> fields) throws IOException {
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean atFieldStart = true;
      while (true) {
        int c = next();
        if (c == -1) {
          if (quoted) {
            fields.add(field.toString());
            return UNTERMINATED;
          }
          if (!raw.isEmpty()) fields.add(field.toString());
          return -1;
        }
        char ch = (char) c;
        if (quoted) {
          raw.append(ch);
          if (ch == '"') {
            int after = next();
            if (after == '"') {
              raw.append('"');
              field.append('"');
            } else {
              quoted = false;
              pushBack(after);
            }
          } else {
            if (ch == '\n') line++;
            field.append(ch);
          }
          continue;
        }
        if (ch == '\n' || ch == '\r') {
          if (ch == '\r') {
            int after = next();
            if (after != '\n') pushBack(after);
          }
          line++;
          if (!raw.isEmpty()) fields.add(field.toString());
          return '\n';
        }
        raw.append(ch);
        if (ch == ',') {
          fields.add(field.toString());
          field.setLength(0);
          atFieldStart = true;
          continue;
        }
        if (ch == '"' && atFieldStart) {
          quoted = true;
        } else {
          field.append(ch);
        }
        atFieldStart = false;
      }
    }

    private int next() throws IOException {
      if (pushedBack != -2) {
        int c = pushedBack;
        pushedBack = -2;
        return c;
      }
      return reader.read();
    }

    private void pushBack(int c) {
      pushedBack = c;
    }
  }
}
