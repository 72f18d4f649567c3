package ai.mesm.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Streams {@link Example}s from the Parquet files of one split folder (e.g.
 * split/utterances/split=train) through any Hadoop filesystem, one row at a time and only the
 * columns the models need, without Spark: the same code runs in a unit test, on the driver and
 * inside an executor, and never holds the dataset in memory.
 */
public final class ExampleReader implements ExampleStream {
  static final List<String> COLUMNS = List.of("utterance_id", "text", "n_frames", "frames", "n_chunks", "mel", "labels");

  private final Configuration conf;
  private final PageCodecs codecs;
  private final Iterator<Path> files;
  private ParquetReader<Example> reader;
  private Example next;

  public ExampleReader(String folder, Configuration conf) throws IOException {
    this.conf = new Configuration(conf);
    this.codecs = new PageCodecs(this.conf);
    this.files = parquetFiles(folder, conf).iterator();
    advance();
  }

  /**
   * The transcripts of a split folder, reading only the text column: what the tokenizer learns
   * its vocabulary from (a few MB even for CMU-MOSEI).
   */
  public static List<String> texts(String folder, Configuration conf) throws IOException {
    Configuration c = new Configuration(conf);
    List<String> out = new ArrayList<>();
    for (Path file : parquetFiles(folder, conf)) {
      c.set(ReadSupport.PARQUET_READ_SCHEMA, projection(file, c, List.of("text")).toString());
      try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(c).build()) {
        for (Group g = r.read(); g != null; g = r.read()) out.add(g.getString("text", 0));
      }
    }
    return out;
  }

  private static List<Path> parquetFiles(String folder, Configuration conf) throws IOException {
    Path dir = new Path(folder);
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) throw new IOException(folder + ": no such folder");
    List<Path> parquet = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (f.isFile() && name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) parquet.add(f.getPath());
    }
    parquet.sort(null);
    return parquet;
  }

  private void advance() {
    try {
      while (true) {
        if (reader != null) {
          Example e = reader.read();
          if (e != null) {
            next = e;
            return;
          }
          reader.close();
          reader = null;
        }
        if (!files.hasNext()) {
          next = null;
          return;
        }
        Path file = files.next();
        conf.set(ReadSupport.PARQUET_READ_SCHEMA, projection(file, conf, COLUMNS).toString());
        reader = ParquetReader.builder(ExampleMaterializer.readSupport(), file).withConf(conf).withCodecFactory(codecs).build();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's schema restricted to the model's columns; a missing column is a clear error. */
  private static MessageType projection(Path file, Configuration conf, List<String> columns) throws IOException {
    MessageType schema;
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      schema = r.getFooter().getFileMetaData().getSchema();
    }
    List<Type> fields = new ArrayList<>();
    for (String c : columns) {
      if (!schema.containsField(c)) throw new IOException(file + ": no column " + c + " (not a split output?)");
      fields.add(schema.getType(c));
    }
    return new MessageType(schema.getName(), fields);
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public Example next() {
    if (next == null) throw new NoSuchElementException();
    Example e = next;
    advance();
    return e;
  }

  @Override
  public void close() throws IOException {
    try {
      if (reader != null) reader.close();
    } finally {
      codecs.release();
    }
  }
}
