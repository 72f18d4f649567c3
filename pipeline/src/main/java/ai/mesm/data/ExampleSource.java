package ai.mesm.data;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** A re-readable set of examples: each {@link #open} starts a new pass (one per epoch). */
@FunctionalInterface
public interface ExampleSource {
  ExampleStream open() throws IOException;

  /** The Parquet files of one split folder, streamed (never loaded whole). */
  static ExampleSource folder(String folder, Configuration conf) {
    return () -> new ExampleReader(folder, conf);
  }

  static ExampleSource of(List<Example> examples) {
    return () -> ExampleStream.of(examples);
  }
}
