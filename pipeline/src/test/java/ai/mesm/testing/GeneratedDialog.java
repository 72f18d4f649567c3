package ai.mesm.testing;

import ai.mesm.config.ConfigLoader;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One IEMOCAP-layout dialog from the corpus generator (a real DivX AVI, a stereo wav and the
 * annotation files), with its utterances' windows from the generator's ground truth.
 *
 * @param root the corpus root (paths.input for ingest)
 */
public record GeneratedDialog(Path root, Path avi, Path wav, List<Utterance> utterances) {

  /** @param side 0 = left actor (left half, left channel), 1 = right */
  public record Utterance(String id, int side, double startS, double endS, String expected) {}

  /** @param settings more corpus.* overrides, as key, value pairs */
  public static GeneratedDialog generate(Path root, int utterances, String... settings) throws IOException {
    Map<String, String> o = new HashMap<>(Map.of("corpus.layouts", "[iemocap]", "corpus.size",
        Integer.toString(utterances), "corpus.iemocap.utterances-per-dialog", Integer.toString(utterances)));
    for (int i = 0; i < settings.length; i += 2) o.put(settings[i], settings[i + 1]);
    new SyntheticCorpusGenerator(CorpusSettings.from(ConfigLoader.load(List.of(), o))).generate(root);
    Path dialog = root.resolve("IEMOCAP_full_release/Session1/dialog");
    List<Utterance> planned = new ArrayList<>();
    List<String> truth = Files.readAllLines(root.resolve(SyntheticCorpusGenerator.TRUTH_DIR).resolve("iemocap.csv"));
    for (String line : truth.subList(1, truth.size())) {
      String[] r = line.split(",", 11);
      // Actor -1: a non-verbal transcript turn that no one rated, not an utterance.
      if (!r[2].equals("-1")) {
        planned.add(new Utterance(r[0], Integer.parseInt(r[2]), Double.parseDouble(r[3]), Double.parseDouble(r[4]), r[9]));
      }
    }
    return new GeneratedDialog(root, dialog.resolve("avi/DivX/Ses01F_impro01.avi"),
        dialog.resolve("wav/Ses01F_impro01.wav"), planned);
  }

  /** The same dialog copied to {@code target}, for a test that changes its files. */
  public GeneratedDialog copyTo(Path target) throws IOException {
    TempTrees.copy(root, target);
    return new GeneratedDialog(target, target.resolve(root.relativize(avi).toString()),
        target.resolve(root.relativize(wav).toString()), utterances);
  }
}
