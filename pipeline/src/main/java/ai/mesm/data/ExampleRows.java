package ai.mesm.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The split Parquet as Spark reads it in executors: the same columns as {@link ExampleReader},
 * turned into the same {@link Example}s, so that distributed training feeds the model exactly
 * what the local trainer does.
 */
public final class ExampleRows {
  private ExampleRows() {}

  /** The model's columns of one split folder, in {@link ExampleReader#COLUMNS} order. */
  public static Dataset<Row> read(SparkSession spark, String folder) {
    return spark.read().parquet(folder).select(ExampleReader.COLUMNS.get(0),
        ExampleReader.COLUMNS.subList(1, ExampleReader.COLUMNS.size()).toArray(String[]::new));
  }

  /** A row of {@link #read}. */
  public static Example toExample(Row r) {
    List<Integer> labels = new ArrayList<>(r.<Integer>getList(6));
    return new Example(r.getString(0), r.getString(1), r.getInt(2), (byte[]) r.get(3), r.getInt(4),
        MelBytes.of(r, 5, r.getString(0)), labels);
  }
}
