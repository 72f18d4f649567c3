package ai.mesm.jobs;

import ai.mesm.bench.AlbertThroughput;
import ai.mesm.bench.ModelThroughput;
import ai.mesm.data.DatasetKind;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.albert.AlbertConfig;
import ai.mesm.model.albert.PretrainedText;
import ai.mesm.model.layers.EncoderTiming;
import ai.mesm.model.text.WordPieceTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * make bench: the pretrained text encoder's cost (AlbertThroughput): ALBERT-base forward and
 * forward+backward at batch 8 x 100 tokens, then FE2E T+A+V training with ALBERT-base next to the
 * small Transformer encoder, with the configured CNN widths, in one run.
 */
public final class AlbertBenchJob {
  private AlbertBenchJob() {}

  public static void main(String[] args) {
    JobMain.main("AlbertBenchJob", "Benchmarks an ALBERT-base-sized text encoder (random weights) and FE2E training "
        + "with it next to the small text encoder.", args, Set.of(), (config, arguments) -> {
          DatasetKind dataset = DatasetKind.of(config);
          double[] weights = new double[dataset.classes().size()];
          Arrays.fill(weights, 3.0);
          List<Modality> tav = List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL);
          ModelSpec small = ModelSettings.spec(config, tav, dataset, WordPieceTokenizer.numbered(1000), weights)
              .withMaxTokens(AlbertThroughput.TOKENS);
          PretrainedText base = AlbertThroughput.albertBase();
          WordPieceTokenizer pieces = WordPieceTokenizer.numbered(base.config().vocabSize());
          ModelSpec albert = ModelSettings.spec(config, tav, dataset, pieces, weights, base)
              .withMaxTokens(AlbertThroughput.TOKENS);
          ModelSpec textOnly = ModelSettings.spec(config, List.of(Modality.TEXT), dataset, pieces, weights, base)
              .withMaxTokens(AlbertThroughput.TOKENS);
          System.out.printf("ALBERT-base (albert-base-v2's configuration, random weights), %d threads; analytic "
              + "forward %.1f GFLOP per batch of 8 x 100 tokens%n", Runtime.getRuntime().availableProcessors(),
              2 * textOnly.albert().config().macsPerSequence(AlbertThroughput.TOKENS) * AlbertThroughput.BATCH / 1e9);
          AlbertThroughput.encoder(textOnly, 2, 5).forEach(r -> System.out.println("  " + r.describe()));
          // Side by side with its SameDiff definition at the test checkpoint's sizes: at ALBERT-base's the
          // SameDiff runtime takes ~45 s and ~6 GB more memory per training pass (docs/performance.md).
          System.out.println("  ALBERT encoder layer alone, test checkpoint's sizes, " + EncoderTiming.compareAlbert(
              new AlbertConfig(1000, 16, 32, 3, 4, 64, "gelu_new", 64, 2, 1e-12, 0.02, 0), 50, 15, 8, 3));
          System.out.printf("FE2E T+A+V training, batch 8 x (10 frames, 13 chunks, 100 tokens), channel divisor %d%n",
              small.channelDivisor());
          var batch = ModelThroughput.randomBatch(small, AlbertThroughput.BATCH, 10, 13, small.seed());
          System.out.println("  " + AlbertThroughput.training("small Transformer text encoder", small, batch, 2, 5).describe());
          var albertBatch = ModelThroughput.randomBatch(albert, AlbertThroughput.BATCH, 10, 13, albert.seed());
          System.out.println("  " + AlbertThroughput.training("ALBERT-base text encoder", albert, albertBatch, 2, 5).describe());
        });
  }
}
