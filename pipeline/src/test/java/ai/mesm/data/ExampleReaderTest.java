package ai.mesm.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.ingest.IngestSchema;
import ai.mesm.ingest.UtteranceRecord;
import ai.mesm.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Spark writes, the Spark-free reader gives back value for value; a null is a clear error. */
class ExampleReaderTest {
  @Test
  void readsEveryRowOfASplitFolderWithoutSpark(@TempDir Path dir) throws Exception {
    SparkSession spark = TestSpark.start(Map.of());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      byte[] frames = new byte[i % 3 * 6912];
      for (int k = 0; k < frames.length; k++) frames[k] = (byte) (k * 7 + i);
      float[] mel = new float[(1 + i % 2) * 4096];
      for (int k = 0; k < mel.length; k++) mel[k] = k * 0.25f + i;
      List<Integer> labels = new ArrayList<>(List.of(0, 0, 0, 0, 0, 0));
      labels.set(i % 6, 1);
      rows.add(IngestSchema.toRow(new UtteranceRecord("iemocap", String.format("u%02d", i), "d", "v", "a", "F", "left",
          0, 1, "text " + i, labels, List.of("x"), i % 3, new double[i % 3], new boolean[i % 3], new float[4 * (i % 3)],
          frames, 1 + i % 2, 10, mel, "none")));
    }
    Path folder = dir.resolve("split=train");
    Path nullMel = dir.resolve("null-mel");
    Path nullElement = dir.resolve("null-element");
    Path partialFloat = dir.resolve("partial-float");
    Path melList = dir.resolve("mel-as-list");
    try {
      Dataset<Row> written = spark.createDataFrame(rows, IngestSchema.utterances("{}"));
      written.repartition(3).write().mode(SaveMode.Overwrite).parquet(folder.toString());
      for (String codec : List.of("gzip", "uncompressed")) {
        written.coalesce(1).write().option("compression", codec).parquet(dir.resolve(codec).toString());
      }
      Column u03 = col("utterance_id").equalTo("u03");
      written.withColumn("mel", when(u03, lit(null)).otherwise(col("mel"))).coalesce(1).write().parquet(nullMel.toString());
      written.withColumn("mel", when(u03, lit(new byte[] {1, 2, 3, 4, 5})).otherwise(col("mel"))).coalesce(1)
          .write().parquet(partialFloat.toString());
      // Splits written before the mel column became bytes hold it as a list of floats: still read.
      Dataset<Row> listed = spark.createDataFrame(rows.stream().map(ExampleReaderTest::melAsList).toList(),
          melAsList(IngestSchema.utterances("{}")));
      listed.coalesce(1).write().parquet(melList.toString());
      listed.withColumn("mel", when(u03, array(lit(1f), lit(null).cast("float"))).otherwise(col("mel"))).coalesce(1)
          .write().parquet(nullElement.toString());
      // Spark's rows (distributed training) give the same values from either form.
      Map<String, float[]> bytes = new java.util.HashMap<>();
      for (Row r : ExampleRows.read(spark, folder.toString()).collectAsList()) {
        Example e = ExampleRows.toExample(r);
        bytes.put(e.utteranceId(), e.mel());
      }
      List<Row> fromList = ExampleRows.read(spark, melList.toString()).collectAsList();
      assertEquals(25, bytes.size());
      assertEquals(25, fromList.size());
      for (Row r : fromList) {
        Example e = ExampleRows.toExample(r);
        assertArrayEquals(bytes.get(e.utteranceId()), e.mel(), e.utteranceId());
      }
      assertEquals(2 * 4096, bytes.get("u01").length);
      assertEquals(5 * 0.25f + 1, bytes.get("u01")[5]);
    } finally {
      spark.stop();
    }
    List<Example> read = new ArrayList<>();
    try (ExampleReader reader = new ExampleReader(folder.toString(), new Configuration())) {
      reader.forEachRemaining(read::add);
    }
    assertEquals(25, read.size());
    read.sort((a, b) -> a.utteranceId().compareTo(b.utteranceId()));
    for (int i = 0; i < 25; i++) {
      Example e = read.get(i);
      assertEquals("text " + i, e.text());
      assertEquals(i % 3, e.nFrames());
      assertEquals(i % 3 * 6912, e.frames().length);
      if (e.frames().length > 0) assertEquals((byte) (100 * 7 + i), e.frames()[100]);
      assertEquals((1 + i % 2) * 4096, e.mel().length);
      for (int k = 0; k < e.mel().length; k++) assertEquals(k * 0.25f + i, e.mel()[k], e.utteranceId() + " mel " + k);
      List<Integer> labels = new ArrayList<>(List.of(0, 0, 0, 0, 0, 0));
      labels.set(i % 6, 1);
      assertEquals(labels, e.labels());
      assertEquals(String.format("u%02d", i), e.utteranceId());
    }
    // Snappy pages are decompressed by the reader's own codec (PageCodecs), the others by Parquet's;
    // the older list form of mel gives the same values.
    for (String codec : List.of("gzip", "uncompressed", "mel-as-list")) {
      List<Example> other = new ArrayList<>();
      try (ExampleReader reader = new ExampleReader(dir.resolve(codec).toString(), new Configuration())) {
        reader.forEachRemaining(other::add);
      }
      other.sort((a, b) -> a.utteranceId().compareTo(b.utteranceId()));
      assertEquals(25, other.size(), codec);
      for (int i = 0; i < 25; i++) {
        assertArrayEquals(read.get(i).mel(), other.get(i).mel(), codec);
        assertArrayEquals(read.get(i).frames(), other.get(i).frames(), codec);
      }
    }
    // A null is an error naming the file, the row and the column, never a shorter array.
    for (Path bad : List.of(nullMel, nullElement, partialFloat)) {
      Exception e = assertThrows(RuntimeException.class, () -> {
        try (ExampleReader reader = new ExampleReader(bad.toString(), new Configuration())) {
          reader.forEachRemaining(x -> {});
        }
      });
      String message = e.getMessage() + " / " + e.getCause().getMessage();
      assertTrue(message.contains(bad.toString()) && message.contains("u03") && message.contains("mel"), message);
    }
  }

  /** The schema with mel as a list of floats, as ingest wrote it before. */
  private static StructType melAsList(StructType schema) {
    StructField[] fields = schema.fields().clone();
    int mel = schema.fieldIndex("mel");
    fields[mel] = new StructField("mel", DataTypes.createArrayType(DataTypes.FloatType, false), false, fields[mel].metadata());
    return new StructType(fields);
  }

  private static Row melAsList(Row row) {
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) values[i] = row.get(i);
    int mel = IngestSchema.utterances("{}").fieldIndex("mel");
    values[mel] = MelBytes.decode((byte[]) values[mel], "test");
    return RowFactory.create(values);
  }
}
