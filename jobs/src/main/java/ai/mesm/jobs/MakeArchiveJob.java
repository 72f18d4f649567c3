package ai.mesm.jobs;

import static ai.mesm.config.ConfigKeys.SCORE_INPUT;

import ai.mesm.config.InvalidConfigException;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.DemoArchive;
import ai.mesm.io.HadoopFiles;
import ai.mesm.score.ScoreSettings;
import java.nio.file.Path;
import java.util.Set;

/**
 * make demo: a small archive of videos to score (score.input, a local folder) from the generated
 * CMU-MOSEI corpus (corpus.output): subtitles in SubRip and WebVTT, a video without, a corrupt file.
 */
public final class MakeArchiveJob {
  private MakeArchiveJob() {}

  public static void main(String[] args) {
    JobMain.main("MakeArchiveJob", "Writes a small archive of videos to score into mesm.score.input (local folder) from\n"
        + "the CMU-MOSEI videos of the generated corpus under mesm.corpus.output.", args, Set.of(), (config, arguments) -> {
          String target = ScoreSettings.of(config).input();
          if (target.isBlank() || !HadoopFiles.isLocal(target)) {
            throw new InvalidConfigException(SCORE_INPUT, "must name a local folder for the demo archive");
          }
          Path archive = HadoopFiles.localPath(target);
          System.out.println(DemoArchive.build(HadoopFiles.localPath(CorpusSettings.from(config).output()), archive).render()
              + " -> " + archive);
        });
  }
}
