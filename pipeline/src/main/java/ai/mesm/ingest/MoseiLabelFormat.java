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
 * are found by name (real batches have dozens, in any order); Input.VIDEO_ID ends with the video
 * id after its last '/'.
 */
public final class MoseiLabelFormat {
  public static final List<String> EMOTION_COLUMNS = List.of("Answer.anger", "Answer.disgust", "Answer.fear",
      "Answer.happiness", "Answer.sadness", "Answer.surprise");
  public static final String VIDEO_COLUMN = "Input.VIDEO_ID";
  public static final String CLIP_COLUMN = "Input.CLIP";
  public static final String WORKER_COLUMN = "WorkerId";
  public static final String MALFORMED_LABEL_ROW = "malformed_label_row";

  private static final List<String> HEADER = List.of("HITId", WORKER_COLUMN, VIDEO_COLUMN, CLIP_COLUMN,
      "Answer.anger", "Answer.disgust", "Answer.fear", "Answer.happiness", "Answer.sadness", "Answer.surprise",
      "Answer.sentiment", "Answer.comments");

  /** A row as the generator writes it. */
  public record Row(String hitId, String workerId, String videoUrl, int clip, List<Integer> intensities, int sentiment,
                    String comments) {}

  private MoseiLabelFormat() {}

  public static String format(List<Row> rows) {
    StringBuilder sb = new StringBuilder(Csv.row(HEADER));
    for (Row r : rows) {
      List<String> fields = new ArrayList<>(List.of(r.hitId(), r.workerId(), r.videoUrl(), Integer.toString(r.clip())));
      for (int v : r.intensities()) fields.add(Integer.toString(v));
      fields.add(Integer.toString(r.sentiment()));
      fields.add(r.comments());
      sb.append(Csv.row(fields));
    }
    return sb.toString();
  }

  public static Parsed<MoseiAnnotation> parse(String sourcePath, Reader reader) throws IOException {
    List<Csv.Row> rows = Csv.read(reader instanceof BufferedReader ? reader : new BufferedReader(reader));
    if (rows.isEmpty()) throw new IllegalArgumentException(sourcePath + ": empty label file (no header)");
    Map<String, Integer> columns = new HashMap<>();
    List<String> header = rows.get(0).fields();
    for (int i = 0; i < header.size(); i++) columns.put(header.get(i).strip(), i);
    List<String> required = new ArrayList<>(List.of(VIDEO_COLUMN, CLIP_COLUMN));
    required.addAll(EMOTION_COLUMNS);
    for (String column : required) {
      if (!columns.containsKey(column)) {
        throw new IllegalArgumentException(sourcePath + ": label file has no column " + column);
      }
    }
    List<MoseiAnnotation> items = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    for (Csv.Row row : rows.subList(1, rows.size())) {
      try {
        List<String> f = row.fields();
        String url = field(f, columns.get(VIDEO_COLUMN)).strip();
        String videoId = url.substring(url.lastIndexOf('/') + 1);
        if (videoId.isEmpty()) throw new NumberFormatException("empty video id");
        int clip = Integer.parseInt(field(f, columns.get(CLIP_COLUMN)).strip());
        if (clip < 0) throw new NumberFormatException("negative clip");
        List<Integer> intensities = new ArrayList<>();
        for (String column : EMOTION_COLUMNS) {
          int v = Integer.parseInt(field(f, columns.get(column)).strip());
          if (v < 0 || v > 3) throw new NumberFormatException("intensity out of 0..3");
          intensities.add(v);
        }
        String worker = columns.containsKey(WORKER_COLUMN) ? field(f, columns.get(WORKER_COLUMN)) : "";
        items.add(new MoseiAnnotation(videoId, clip, worker, intensities));
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        skipped.add(new SkippedLine(sourcePath, row.lineNumber(), String.join(",", row.fields()), MALFORMED_LABEL_ROW));
      }
    }
    return new Parsed<>(items, skipped);
  }

  private static String field(List<String> fields, int index) {
    return fields.get(index);
  }
}
