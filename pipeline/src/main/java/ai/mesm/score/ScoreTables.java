package ai.mesm.score;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The two output datasets of scoring as Spark rows: scores (one row per segment, a probability
 * column p_&lt;class&gt; per class of the model, the predicted labels) and rejects (with the
 * reason code), both tagged with the model and the run that wrote them.
 */
public final class ScoreTables {
  private ScoreTables() {}

  public static StructType scores(List<String> classes) {
    List<StructField> f = new ArrayList<>(List.of(
        DataTypes.createStructField("video", DataTypes.StringType, false),
        DataTypes.createStructField("segment_index", DataTypes.IntegerType, false),
        DataTypes.createStructField("start_s", DataTypes.DoubleType, false),
        DataTypes.createStructField("end_s", DataTypes.DoubleType, false),
        DataTypes.createStructField("text", DataTypes.StringType, true),
        DataTypes.createStructField("segment_source", DataTypes.StringType, false),
        DataTypes.createStructField("n_frames", DataTypes.IntegerType, false),
        DataTypes.createStructField("n_chunks", DataTypes.IntegerType, false)));
    for (String c : classes) f.add(DataTypes.createStructField("p_" + c, DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("labels", DataTypes.createArrayType(DataTypes.StringType, false), false));
    f.add(DataTypes.createStructField("model_id", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("model_version", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("run_id", DataTypes.StringType, false));
    return DataTypes.createStructType(f);
  }

  public static Row row(ScoredSegment s, String modelId, String modelVersion, String runId) {
    List<Object> v = new ArrayList<>(List.of(s.video(), s.segmentIndex(), s.startS(), s.endS()));
    v.add(s.text());
    v.addAll(List.of(s.source(), s.nFrames(), s.nChunks()));
    for (double p : s.probabilities()) v.add(p);
    v.add(s.labels().toArray(String[]::new));
    v.addAll(List.of(modelId, modelVersion, runId));
    return RowFactory.create(v.toArray());
  }

  public static StructType rejects() {
    return DataTypes.createStructType(List.of(
        DataTypes.createStructField("video", DataTypes.StringType, false),
        DataTypes.createStructField("stage", DataTypes.StringType, false),
        DataTypes.createStructField("reason", DataTypes.StringType, false),
        DataTypes.createStructField("source_path", DataTypes.StringType, true),
        DataTypes.createStructField("segment_index", DataTypes.IntegerType, false),
        DataTypes.createStructField("line_number", DataTypes.IntegerType, false),
        DataTypes.createStructField("detail", DataTypes.StringType, true),
        DataTypes.createStructField("model_id", DataTypes.StringType, false),
        DataTypes.createStructField("run_id", DataTypes.StringType, false)));
  }

  public static Row reject(ScoreReject r, String modelId, String runId) {
    return RowFactory.create(r.video(), r.stage(), r.reason(), r.sourcePath(), r.segmentIndex(), r.lineNumber(),
        r.detail(), modelId, runId);
  }
}
