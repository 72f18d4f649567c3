package ai.mesm.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/**
 * A Dataset, or rows a cell computed, as an aligned plain-text table: printed output is what
 * nbconvert keeps and what a reader can diff. Numbers are right-aligned, doubles shown with 4
 * decimals, arrays as lists.
 */
public final class TextTable {
  private static final int MAX_ROWS = 500;

  private TextTable() {}

  /** Up to 500 rows of {@code rows}, in its order. */
  public static String of(Dataset<Row> rows) {
    List<List<Object>> cells = new ArrayList<>();
    for (Row r : rows.limit(MAX_ROWS).collectAsList()) {
      List<Object> line = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) line.add(r.get(i));
      cells.add(line);
    }
    return of(List.of(rows.columns()), cells);
  }

  public static String of(List<String> header, List<? extends List<?>> rows) {
    List<List<String>> text = new ArrayList<>();
    text.add(header);
    for (List<?> r : rows) {
      if (r.size() != header.size()) throw new IllegalArgumentException(r.size() + " cells under " + header.size() + " columns");
      text.add(r.stream().map(TextTable::cell).toList());
    }
    int[] width = new int[header.size()];
    for (List<String> line : text) {
      for (int i = 0; i < line.size(); i++) width[i] = Math.max(width[i], line.get(i).length());
    }
    boolean[] numeric = new boolean[header.size()];
    for (int i = 0; i < numeric.length; i++) {
      int column = i;
      numeric[i] = !rows.isEmpty() && rows.stream().allMatch(r -> r.get(column) instanceof Number);
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> line : text) {
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        l.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%" + (numeric[i] ? "" : "-") + width[i] + "s", line.get(i)));
      }
      sb.append(l.toString().stripTrailing()).append('\n');
    }
    if (rows.isEmpty()) sb.append("(no rows)\n");
    return sb.toString();
  }

  private static String cell(Object v) {
    if (v == null) return "null";
    if (v instanceof Double || v instanceof Float) return String.format(Locale.ROOT, "%.4f", ((Number) v).doubleValue());
    if (v instanceof scala.collection.Seq<?> seq) return JavaConverters.seqAsJavaList(seq).toString();
    return v.toString();
  }
}
