package ai.mesm.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CMU-MOSEI {@code Labels/*.csv}: Mechanical Turk batch results, one row per annotator. Columns
 * are found by name, since real batches have dozens in any order; Input.VIDEO_ID ends with the
 * video id after its last '/'.
 */
public final class MoseiLabelFormat {
  public static final List<String> EMOTION_COLUMNS = List.of("Answer.anger", "Answer.disgust", "Answer.fear",
      "Answer.happiness", "Answer.sadness", "Answer.surprise");
  public static final String HIT_COLUMN = "HITId";
  public static final String WORKER_COLUMN = "WorkerId";
  public static final String VIDEO_COLUMN = "Input.VIDEO_ID";
  public static final String CLIP_COLUMN = "Input.CLIP";
  public static final String SENTIMENT_COLUMN = "Answer.sentiment";
  public static final String COMMENTS_COLUMN = "Answer.comments";
  public static final String MALFORMED_LABEL_ROW = "malformed_label_row";

  private static final List<String> HEADER = header();

  /**
   * A row as the generator writes it.
   *
   * @param intensities anger, disgust, fear, happiness, sadness, surprise, each 0..3
   * @param sentiment   -3..3
   */
  public record Row(String hitId, String workerId, String videoUrl, int clip, List<Integer> intensities, int sentiment,
                    String comments) {}

  private MoseiLabelFormat() {}

  /**
   * Header and rows, '\n' line ends, fields quoted only where needed.
   *
   * @throws IllegalArgumentException for a row without exactly one intensity per emotion
   */
  public static String format(List<Row> rows) {
    StringBuilder sb = new StringBuilder(Csv.row(HEADER));
    for (Row r : rows) {
      // Values are written as given, even out of range: test corpora need malformed rows too.
      if (r.intensities().size() != EMOTION_COLUMNS.size()) {
        throw new IllegalArgumentException("row " + r.hitId() + " has " + r.intensities().size()
            + " intensities, not one per emotion");
      }
      List<String> fields = new ArrayList<>(List.of(r.hitId(), r.workerId(), r.videoUrl(), Integer.toString(r.clip())));
      for (int v : r.intensities()) fields.add(Integer.toString(v));
      fields.add(Integer.toString(r.sentiment()));
      fields.add(r.comments());
      sb.append(Csv.row(fields));
    }
    return sb.toString();
  }

  /**
   * Every record after the header is an annotation or a skipped row.
   *
   * @throws IllegalArgumentException when the file has no header or lacks a required column
   *                                  (the video, the clip or an emotion): no row of it can be read
   */
  public static Parsed<MoseiAnnotation> parse(String sourcePath, Reader reader) throws IOException {
    List<Csv.Row> rows = Csv.read(reader instanceof BufferedReader ? reader : new BufferedReader(reader));
    if (rows.isEmpty()) throw new IllegalArgumentException(sourcePath + ": empty label file (no header)");
    Columns columns = new Columns(sourcePath, rows.get(0));
    List<MoseiAnnotation> items = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    long lines = 0;
    for (Csv.Row row : rows.subList(1, rows.size())) {
      lines += row.lastLine() - row.lineNumber() + 1;
      String problem = columns.problem(row);
      MoseiAnnotation a = problem == null ? columns.annotation(row.fields()) : null;
      if (a != null) {
        items.add(a);
      } else if (problem == null) {
        skipped.add(new SkippedLine(sourcePath, row.lineNumber(), row.raw(), MALFORMED_LABEL_ROW));
      } else {
        // Every physical line of a broken record is its own reject: nothing it swallowed is lost.
        List<String> physical = row.physicalLines();
        for (int i = 0; i < physical.size(); i++) {
          skipped.add(new SkippedLine(sourcePath, row.lineNumber() + i, physical.get(i), MALFORMED_LABEL_ROW, problem));
        }
      }
    }
    return new Parsed<>(items, skipped, lines);
  }

  private static List<String> header() {
    List<String> h = new ArrayList<>(List.of(HIT_COLUMN, WORKER_COLUMN, VIDEO_COLUMN, CLIP_COLUMN));
    h.addAll(EMOTION_COLUMNS);
    h.addAll(List.of(SENTIMENT_COLUMN, COMMENTS_COLUMN));
    return List.copyOf(h);
  }

  /** Where the needed columns are in one file. */
  private static final class Columns {
    private final int count;
    private final int video;
    private final int clip;
    private final int worker; // -1: the batch has no WorkerId column, which the ingest does not need
    private final int[] emotions = new int[EMOTION_COLUMNS.size()];

    Columns(String sourcePath, Csv.Row header) {
      if (!header.complete()) throw new IllegalArgumentException(sourcePath + ": unterminated quote in the header");
      Map<String, Integer> index = new HashMap<>();
      List<String> names = header.fields();
      count = names.size();
      for (int i = 0; i < names.size(); i++) index.putIfAbsent(Bom.strip(names.get(i)).strip(), i);
      video = required(sourcePath, index, VIDEO_COLUMN);
      clip = required(sourcePath, index, CLIP_COLUMN);
      for (int e = 0; e < emotions.length; e++) emotions[e] = required(sourcePath, index, EMOTION_COLUMNS.get(e));
      worker = index.getOrDefault(WORKER_COLUMN, -1);
    }

    /**
     * Why a record cannot be trusted as one row, or null. A quote left open swallows the rows that
     * follow into one field until some later quote closes it: the record then spans lines that
     * each read as a whole row, or has the wrong number of fields, or a line break in a field the
     * labels come from. Real batches do hold line breaks, but only in free-text answers.
     */
    String problem(Csv.Row row) {
      int span = row.lastLine() - row.lineNumber() + 1;
      String lines = span == 1 ? "" : " (a quoted field runs over lines " + row.lineNumber() + "-" + row.lastLine() + ")";
      if (!row.complete()) return "a quote is never closed: the record runs to the end of the file" + lines;
      if (row.fields().size() != count && span > 1) {
        return "the record has " + row.fields().size() + " fields, the header " + count + lines;
      }
      if (span == 1) return null;
      for (int column : needed()) {
        if (column < row.fields().size() && row.fields().get(column).contains("\n")) {
          return "a line break inside the " + (column == video ? VIDEO_COLUMN : column == clip ? CLIP_COLUMN
              : "emotion") + " field" + lines;
        }
      }
      for (String physical : row.physicalLines().subList(1, span)) {
        if (physical.chars().filter(ch -> ch == ',').count() == count - 1) {
          return "a quoted field swallows lines that read as whole rows: a quote left open?" + lines;
        }
      }
      return null;
    }

    private int[] needed() {
      int[] out = new int[emotions.length + 2];
      out[0] = video;
      out[1] = clip;
      System.arraycopy(emotions, 0, out, 2, emotions.length);
      return out;
    }

    /** The row's annotation, or null when a needed field is missing or out of range. */
    MoseiAnnotation annotation(List<String> f) {
      String url = field(f, video);
      int c = integer(field(f, clip), 0, Integer.MAX_VALUE);
      if (url == null || c < 0) return null;
      String videoId = url.substring(url.lastIndexOf('/') + 1);
      if (videoId.isEmpty()) return null;
      List<Integer> intensities = new ArrayList<>();
      for (int column : emotions) {
        int v = integer(field(f, column), 0, 3);
        if (v < 0) return null;
        intensities.add(v);
      }
      String workerId = worker < 0 ? "" : field(f, worker);
      return new MoseiAnnotation(videoId, c, workerId == null ? "" : workerId, intensities);
    }

    private static int required(String sourcePath, Map<String, Integer> index, String column) {
      Integer i = index.get(column);
      if (i == null) throw new IllegalArgumentException(sourcePath + ": label file has no column " + column);
      return i;
    }

    /** The stripped field, or null for a row too short to have it. */
    private static String field(List<String> fields, int column) {
      return column < fields.size() ? fields.get(column).strip() : null;
    }

    /** The value when it is an integer in [min, max], else -1 (every valid value here is ≥ 0). */
    private static int integer(String s, int min, int max) {
      if (s == null) return -1;
      try {
        int v = Integer.parseInt(s);
        return v >= min && v <= max ? v : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }
}
