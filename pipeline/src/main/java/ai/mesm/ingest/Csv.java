package ai.mesm.ingest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
final class Csv {
  /** A record and the physical line it starts on (1-based), for reject rows. */
  record Row(int lineNumber, List<String> fields) {}

  private Csv() {}

  static List<Row> read(Reader reader) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int line = 1;
    int rowStart = 1;
    int c;
    while ((c = reader.read()) != -1) {
      char ch = (char) c;
      if (quoted) {
        if (ch == '"') {
          reader.mark(1);
          int next = reader.read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (next != -1) reader.reset();
          }
        } else {
          if (ch == '\n') line++;
          field.append(ch);
        }
        continue;
      }
      switch (ch) {
        case '"' -> {
          quoted = true;
          any = true;
        }
        case ',' -> {
          fields.add(field.toString());
          field.setLength(0);
          any = true;
        }
        case '\r' -> { }
        case '\n' -> {
          if (any || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new Row(rowStart, List.copyOf(fields)));
          }
          fields.clear();
          field.setLength(0);
          any = false;
          line++;
          rowStart = line;
        }
        default -> {
          field.append(ch);
          any = true;
        }
      }
    }
    if (any || field.length() > 0) {
      fields.add(field.toString());
      rows.add(new Row(rowStart, List.copyOf(fields)));
    }
    return rows;
  }

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
}
