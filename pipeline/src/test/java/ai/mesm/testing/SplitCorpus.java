package ai.mesm.testing;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import ai.mesm.stage.IngestRunner;
import ai.mesm.stage.SplitRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A synthetic IEMOCAP corpus taken through the real pipeline (generate → ingest → 70/10/20 split)
 * once per test JVM and shared by the tests that train on it: the split costs a minute or two,
 * training on it seconds.
 */
public final class SplitCorpus {
  /** Utterances generated; about 10% are out-of-class and dropped by the split. */
  public static final int SIZE = 360;
  private static Path root;

  private SplitCorpus() {}

  /** The folder holding corpus/, ingest/ and split/. */
  public static synchronized Path iemocap() {
    if (root == null) {
      try {
        root = build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  public static Path split() {
    return iemocap().resolve("split");
  }

  /** Settings pointing at the shared corpus, with the given overrides. */
  public static MesmConfig config(Map<String, String> overrides) {
    Path r = iemocap();
    Map<String, String> o = new HashMap<>(Map.of("dataset", "iemocap", "paths.input", r.resolve("corpus").toString(),
        "paths.ingest", r.resolve("ingest").toString(), "paths.split", r.resolve("split").toString(),
        "corpus.size", Integer.toString(SIZE), "corpus.min-utterance-s", "1.0", "corpus.max-utterance-s", "2.0"));
    o.putAll(overrides);
    return ConfigLoader.load(List.of(), o);
  }

  private static Path build() throws IOException {
    Path dir = TempTrees.createDeletedAtExit("mesm-split-corpus");
    root = dir;
    MesmConfig c = config(Map.of("corpus.layouts", "[iemocap]"));
    new SyntheticCorpusGenerator(CorpusSettings.from(c)).generate(dir.resolve("corpus"));
    SparkSession spark = TestSpark.start(Map.of());
    try {
      IngestRunner.run(spark, c);
      SplitRunner.run(spark, c);
    } finally {
      spark.stop();
    }
    return dir;
  }
}
