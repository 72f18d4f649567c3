package ai.mesm.jobs;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.bench.ModelThroughput;
import ai.mesm.bench.SparseSpeed;
import ai.mesm.bench.StepProfile;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.ExampleSource;
import ai.mesm.io.PathSettings;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.NativeHelpers;
import ai.mesm.model.layers.CnnKernels;
import ai.mesm.model.layers.EncoderTiming;
import ai.mesm.model.sparse.NativeKernels;
import ai.mesm.model.text.WordPieceTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.factory.Nd4j;

/**
 * make bench: FE2E training and inference throughput at batch 8 with 10 frames, 13 chunks and 100
 * tokens per utterance, and the feature-extraction CNNs' achieved GFLOP/s, with the configured
 * model settings (model.cnn.channel-divisor = 1 is the paper's network); then MESM's feature
 * extraction time against FE2E's at p = 0.3, 0.5, 0.7, 0.9 beside the FLOPs ratio ({@link SparseSpeed}), on
 * ingested utterances (mesm.paths.ingest, as make bench writes it) when there are some, and on noise.
 */
public final class ModelBenchJob {
  /**
   * Rounds of MESM against FE2E, each run keeping its fastest. Not 5 as until 2026-12-07: the fastest of 5 MESM
   * calls (stem, then blocks) stayed 1–3 ms above the fastest stem plus the fastest blocks, a minimum over too few
   * noisy samples; over 60 rounds in one JVM the two agreed within 0.5 ms (docs/performance.md).
   */
  private static final int SPARSE_ROUNDS = 9;

  private ModelBenchJob() {}

  public static void main(String[] args) {
    JobMain.main("ModelBenchJob", "Benchmarks FE2E training and inference on random batches.", args, Set.of(),
        (config, arguments) -> {
          ModelSettings.useConfiguredKernels(config);
          DatasetKind dataset = DatasetKind.of(config);
          List<Modality> modalities = ModelSettings.modalities(config);
          WordPieceTokenizer tokenizer = WordPieceTokenizer.numbered(1000);
          double[] weights = new double[dataset.classes().size()];
          java.util.Arrays.fill(weights, 3.0);
          ModelSpec spec = ModelSettings.spec(config, modalities, dataset, tokenizer, weights).withMaxTokens(100);
          long seed = spec.seed();
          VisualNormalisation faces = VisualNormalisation.from(config);
          EmotionModel model = EmotionModel.create(spec, tokenizer, faces.mean(), faces.std());
          int iterations = 5;
          var batch = ModelThroughput.randomBatch(spec, 8, 10, 13, seed);
          ModelThroughput.Result r = ModelThroughput.measure(model, batch, 2, iterations);
          System.out.printf("FE2E %s, channel divisor %d, batch 8 x (10 frames, 13 chunks, 100 tokens), %d threads%n",
              Modality.label(modalities), spec.channelDivisor(), Runtime.getRuntime().availableProcessors());
          System.out.println("  " + ModelThroughput.describe(r));
          if (CnnKernels.available()) {
            // Side by side, interleaved, best of two rounds each: the configured CNN kernels against the Java side's.
            String configured = ModelSettings.kernels(config).cnn();
            double[] best = new double[2];
            try {
              for (int round = 0; round < 2; round++) {
                for (int k = 0; k < 2; k++) {
                  CnnKernels.configure(k == 0 ? configured : "java");
                  best[k] = Math.max(best[k], ModelThroughput.trainPerSecond(model, batch, 1, iterations));
                }
              }
            } finally {
              CnnKernels.configure(configured);
            }
            System.out.printf(java.util.Locale.ROOT, "  CNN training kernels: %s; training %.2f utterances/s, "
                + "%.2f with mesm.model.cnn.kernels = java (%.2fx; interleaved, best of 2)%n", CnnKernels.describe(),
                best[0], best[1], best[0] / best[1]);
          }
          System.out.println("  ND4J: " + ModelThroughput.nd4jBuild() + ", DL4J oneDNN layer helpers "
              + (NativeHelpers.enabled() ? "on" : "off") + ", " + Nd4j.getExecutioner().getEnvironmentInformation());
          // By part, sampled (StepProfile): where a training step and a frozen inference batch spend their time.
          System.out.println("  training step by part: " + StepProfile.of(() -> model.fit(batch), 10).describe());
          EmotionModel frozen = model.frozen();
          System.out.println("  inference batch (frozen) by part: "
              + StepProfile.of(() -> frozen.probabilities(batch), 20).describe());
          // The encoders alone: the hand-written layer against its SameDiff definition, side by side.
          for (int steps : new int[] {13, 100}) {
            System.out.println("  Transformer encoder, " + EncoderTiming.compare(spec.dim(), spec.heads(),
                spec.layers(), spec.feedForward(), steps, 8, 3));
          }
          double[] ps = {0.3, 0.5, 0.7, 0.9};
          String corpus = PathSettings.of(config).ingest() + "/utterances";
          ExampleSource ingested = ExampleSource.folder(corpus, new Configuration());
          System.out.printf("MESM vs FE2E feature extraction, channel divisor %d, 8 utterances, inference, fastest of %d "
              + "rounds (after untimed ones until warm); on the ingested utterances of %s, then on noise (8 x 10 "
              + "frames / 13 chunks); sparse convolutions: %s%n", spec.channelDivisor(), SPARSE_ROUNDS, corpus,
              NativeKernels.describe());
          List<Map.Entry<Modality, SparseSpeed.Input>> corpusInputs = new ArrayList<>();
          for (Modality m : List.of(Modality.VISUAL, Modality.AUDIO)) {
            List<SparseSpeed.Input> inputs = new ArrayList<>();
            try {
              SparseSpeed.Input.utterances(ingested, model.batchBuilder(), m, 8).ifPresent(inputs::add);
              inputs.forEach(in -> corpusInputs.add(Map.entry(m, in)));
            } catch (IOException e) {
              System.out.println("  no ingested utterances (" + e.getMessage() + "): noise only; run make bench for both");
            }
            inputs.add(SparseSpeed.Input.noise(spec, m, 8, m == Modality.AUDIO ? 13 : 10, seed));
            for (SparseSpeed.Input input : inputs) {
              for (SparseSpeed.Row row : SparseSpeed.measure(spec, m, input, ps, SPARSE_ROUNDS, seed)) {
                System.out.println("  " + row.describe());
              }
            }
          }
          if (NativeKernels.available() && !corpusInputs.isEmpty()) {
            // Side by side in the same run: what a build without a C compiler gets.
            System.out.println("The same with the Java sparse kernels (-D" + NativeKernels.PROPERTY + "=java; a build "
                + "without a C compiler), corpus inputs:");
            boolean before = NativeKernels.use(false);
            try {
              for (Map.Entry<Modality, SparseSpeed.Input> input : corpusInputs) {
                for (SparseSpeed.Row row : SparseSpeed.measure(spec, input.getKey(), input.getValue(), ps, SPARSE_ROUNDS,
                    seed)) {
                  System.out.println("  " + row.describe());
                }
              }
            } finally {
              NativeKernels.use(before);
            }
          }
          if (NativeKernels.available()) {
            // MESM training with each sparse kernel, side by side (random inputs); last, as training's
            // allocations would disturb the inference timings above.
            ModelSpec mesmSpec = ModelSettings.spec(config.with(Map.of(MODEL_TYPE, "mesm", MESM_TOP_P, "0.7")), modalities,
                dataset, tokenizer, weights).withMaxTokens(100);
            // Interleaved rounds, the best of each, on one model: the first kernel measured alone
            // would pay the JIT's warm-up that the second then profits from.
            double[] perSecond = new double[2];
            EmotionModel mesm = EmotionModel.create(mesmSpec, tokenizer, faces.mean(), faces.std());
            for (int round = 0; round < 2; round++) {
              for (int k = 0; k < 2; k++) {
                boolean before = NativeKernels.use(k == 0);
                try {
                  perSecond[k] = Math.max(perSecond[k], ModelThroughput.trainPerSecond(mesm, batch, 1, 3));
                } finally {
                  NativeKernels.use(before);
                }
              }
            }
            System.out.printf(java.util.Locale.ROOT, "MESM p=0.7 %s, same batch: train %.2f utterances/s with the native "
                + "sparse kernel, %.2f with the Java kernels (interleaved, best of 2; FE2E %.2f)%n", Modality.label(modalities), perSecond[0],
                perSecond[1], r.trainPerSecond());
          }
        });
  }
}
