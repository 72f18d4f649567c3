package ai.mesm.jobs;

import ai.mesm.bench.ScoreThroughput;
import ai.mesm.io.PathSettings;
import ai.mesm.io.SparkSessions;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * make bench: ScoreJob's segments/s and media-seconds/s for FE2E and MESM (p = 0.5) in one run,
 * next to a bare FFmpeg decode of the same videos, with each run's task time by step.
 */
public final class ScoreBenchJob {
  private ScoreBenchJob() {}

  public static void main(String[] args) {
    JobMain.main("ScoreBenchJob", "Benchmarks ScoreJob on the MOSEI videos of the corpus under mesm.paths.input\n"
        + "(segments from their transcripts), FE2E and MESM p=0.5, models initialised at the configured sizes.\n"
        + "Scratch output under mesm.paths.scores.", args, Set.of(), (config, arguments) -> {
          SparkSession spark = SparkSessions.create(config);
          try {
            PathSettings paths = PathSettings.of(config);
            ScoreThroughput.Report report = ScoreThroughput.run(spark, config, paths.input(), paths.scores());
            System.out.println(report.decode().render());
            for (ScoreThroughput.Line line : report.lines()) System.out.println(line.render());
          } finally {
            spark.stop();
          }
        });
  }
}
