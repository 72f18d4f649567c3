package ai.mesm.testing;

import ai.mesm.config.ConfigLoader;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A synthetic corpus in both release layouts, generated once per test run (its test JVMs share
 * it: {@link RunShared}) for the ingest tests that need a whole corpus but not one of their own:
 * its videos cost seconds per utterance to encode, and each of those tests used to encode a corpus
 * of nearly the same settings.
 *
 * <p>It is shared, so it is read-only: a test that breaks, replaces or deletes input files does so
 * in its own {@link #copyTo copy}. Its users derive expected counts from its {@code _truth/} files,
 * so these settings may change without touching them.
 */
public final class SharedCorpus {
  /**
   * Two utterances per dialog and clips per video make 8 dialogs and 8 clean videos: stages of
   * one task per source wide enough to kill storage under (StorageOutageTest), and the five
   * dialogs Ses0[1-5]F_impro01 that IngestRunnerTest breaks one way each, with intact ones left.
   * Out-of-class labels and the MOSEI defect videos give every reject reason something to reject.
   */
  public static final Map<String, String> SETTINGS = Map.of("corpus.size", "16",
      "corpus.layouts", "[iemocap, mosei]", "corpus.iemocap.utterances-per-dialog", "2",
      "corpus.iemocap.out-of-class-fraction", "0.2", "corpus.mosei.clips-per-video", "2", "corpus.mosei.defects", "true",
      "corpus.min-utterance-s", "1.0", "corpus.max-utterance-s", "1.5");
  private static Path root;

  private SharedCorpus() {}

  /** The corpus root (paths.input); never write under it. */
  public static synchronized Path root() {
    if (root == null) {
      try {
        root = RunShared.folder("shared-corpus",
            dir -> new SyntheticCorpusGenerator(CorpusSettings.from(ConfigLoader.load(List.of(), SETTINGS))).generate(dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /** A private copy at {@code target} (copying costs milliseconds, generating seconds), free to change. */
  public static Path copyTo(Path target) throws IOException {
    return TempTrees.copy(root(), target);
  }
}
