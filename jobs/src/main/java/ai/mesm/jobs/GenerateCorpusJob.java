package ai.mesm.jobs;

import ai.mesm.config.ConfigKeys;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.CorpusSummary;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import ai.mesm.io.HadoopFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Writes a synthetic corpus in the real IEMOCAP / CMU-MOSEI layouts (mesm.corpus.*). Runs on the
 * driver alone; a remote output (s3a://, hdfs://) is generated locally and then uploaded.
 */
public final class GenerateCorpusJob {
  static final String USAGE = "Writes a synthetic IEMOCAP / CMU-MOSEI corpus to mesm.corpus.output from mesm.seed.\n"
      + "Knobs: mesm.corpus.size (utterances per layout), mesm.corpus.layouts, mesm.corpus.noise,\n"
      + "mesm.corpus.face-photo (a portrait to build faces from).";

  private GenerateCorpusJob() {}

  public static void main(String[] args) {
    JobMain.main("GenerateCorpusJob", USAGE, args, Set.of(), (config, arguments) -> {
      CorpusSettings settings = CorpusSettings.from(config);
      SyntheticCorpusGenerator generator = new SyntheticCorpusGenerator(settings);
      long started = System.nanoTime();
      CorpusSummary summary;
      if (HadoopFiles.isLocal(settings.output())) {
        summary = generator.generate(HadoopFiles.localPath(settings.output()));
      } else {
        Path staging = Files.createTempDirectory("mesm-corpus-");
        summary = generator.generate(staging);
        long bytes = HadoopFiles.uploadTree(staging, settings.output(), HadoopFiles.hadoopConf(config));
        System.out.printf("uploaded %.1f MiB to %s%n", bytes / 1048576.0, settings.output());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("Synthetic corpus (seed %d, %s = %d) written in %.1f s to %s%n", settings.seed(),
          ConfigKeys.CORPUS_SIZE, settings.size(), seconds, settings.output());
      int utterances = summary.layouts().stream().mapToInt(CorpusSummary.Layout::utterances).sum();
      double media = summary.layouts().stream().mapToDouble(CorpusSummary.Layout::mediaSeconds).sum();
      System.out.printf("throughput: %.1f utterances/s, %.1f media-seconds/s on %d threads%n", utterances / seconds,
          media / seconds, settings.effectiveThreads());
      System.out.println(summary.render());
    });
  }
}
