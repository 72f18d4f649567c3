package ai.mesm.jobs;

import ai.mesm.io.HadoopFiles;
import ai.mesm.stage.AttentionMapRunner;
import java.util.Set;

/** The paper's Figures 3–4: a MESM model's kept sites per sparse block over faces and spectrograms. */
public final class AttentionMapJob {
  static final String USAGE = "Draws, for test utterances of the split under mesm.paths.split (maps.utterances, or the\n"
      + "first maps.count), each sparse block's kept sites of the MESM model maps.model over the face crops and\n"
      + "mel-spectrogram chunks (maps.steps-per-utterance each). Writes PNGs and index.csv to\n"
      + "mesm.paths.reports/attention-maps-<model id>.";

  private AttentionMapJob() {}

  public static void main(String[] args) {
    JobMain.main("AttentionMapJob", USAGE, args, Set.of(), (config, arguments) -> {
      AttentionMapRunner.Result r = AttentionMapRunner.run(config, HadoopFiles.hadoopConf(config), System.out::println);
      System.out.println("attention maps -> " + r.reportsLocation() + " (" + r.drawings().size() + " PNGs, "
          + AttentionMapRunner.INDEX + ")");
    });
  }
}
