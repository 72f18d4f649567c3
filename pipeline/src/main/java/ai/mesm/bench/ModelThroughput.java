package ai.mesm.bench;

import ai.mesm.model.Batch;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Fe2eGraph;
import ai.mesm.model.FeatureCnn;
import ai.mesm.model.InferenceGraph;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.layers.FoldedCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and inference throughput of a model on fixed-size random batches (issue #5's shape:
 * batch 8, 10 frames, 13 chunks, 100 tokens), and the GFLOP/s the feature-extraction CNNs achieve
 * on their own. Random inputs: speed does not depend on the values.
 */
public final class ModelThroughput {
  /**
   * Utterances per second of training, of inference with the training graph and with the frozen
   * (BatchNorm-folded) graph that evaluation and scoring use, and the CNNs' achieved GFLOP/s (forward).
   */
  public record Result(double trainPerSecond, double inferPerSecond, double frozenInferPerSecond,
                       double visualGflopsPerSecond, double audioGflopsPerSecond, double frozenVisualGflopsPerSecond,
                       double frozenAudioGflopsPerSecond) {}

  private ModelThroughput() {}

  public static Batch randomBatch(ModelSpec spec, int batch, int frames, int chunks, long seed) {
    Random r = new Random(seed);
    int tokens = spec.maxTokens();
    INDArray ids = Nd4j.zeros(DataType.FLOAT, batch, tokens);
    for (int b = 0; b < batch; b++) for (int t = 0; t < tokens; t++) ids.putScalar(b, t, 4 + r.nextInt(Math.max(1, spec.vocabSize() - 4)));
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, spec.classes());
    for (int b = 0; b < batch; b++) labels.putScalar(b, r.nextInt(spec.classes()), 1);
    Nd4j.getRandom().setSeed(seed);
    return new Batch(ids(batch), spec.uses(Modality.TEXT) ? ids : null,
        spec.uses(Modality.TEXT) ? Nd4j.ones(DataType.FLOAT, batch, tokens) : null,
        Nd4j.randn(DataType.FLOAT, batch, spec.visualFeatures(), frames), Nd4j.ones(DataType.FLOAT, batch, frames),
        Nd4j.randn(DataType.FLOAT, batch, spec.audioFeatures(), chunks), Nd4j.ones(DataType.FLOAT, batch, chunks), labels);
  }

  private static List<String> ids(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add("bench-" + i);
    return out;
  }

  /** Runs {@code warmup} untimed then {@code iterations} timed steps of each kind. */
  public static Result measure(EmotionModel model, Batch batch, int warmup, int iterations) {
    double train = trainPerSecond(model, batch, warmup, iterations);
    EmotionModel frozen = model.frozen();
    // Interleaved rounds, the best of each: the two graphs see the same machine state.
    double infer = 0;
    double frozenInfer = 0;
    for (int round = 0; round < 3; round++) {
      infer = Math.max(infer, inferPerSecond(model, batch, round == 0 ? warmup : 0, iterations));
      frozenInfer = Math.max(frozenInfer, inferPerSecond(frozen, batch, round == 0 ? warmup : 0, iterations));
    }
    ModelSpec spec = model.spec();
    double[] visual = cnnGflopsPerSecond(spec, Modality.VISUAL, batch, warmup, iterations);
    double[] audio = cnnGflopsPerSecond(spec, Modality.AUDIO, batch, warmup, iterations);
    return new Result(train, infer, frozenInfer, visual[0], audio[0], visual[1], audio[1]);
  }

  private static double inferPerSecond(EmotionModel model, Batch batch, int warmup, int iterations) {
    for (int i = 0; i < warmup; i++) model.probabilities(batch);
    long t0 = System.nanoTime();
    for (int i = 0; i < iterations; i++) model.probabilities(batch);
    return batch.size() * iterations / ((System.nanoTime() - t0) / 1e9);
  }

  /** Utterances per second of training steps on {@code batch}, after {@code warmup} or more untimed steps ({@link WarmUp}). */
  public static double trainPerSecond(EmotionModel model, Batch batch, int warmup, int iterations) {
    WarmUp.run(() -> model.fit(batch), warmup, warmup + 8);
    long t0 = System.nanoTime();
    for (int i = 0; i < iterations; i++) model.fit(batch);
    return batch.size() * iterations / ((System.nanoTime() - t0) / 1e9);
  }

  /** The CNN's forward GFLOP/s alone: in the training form (BatchNorm layers), then folded as the frozen graph runs it. */
  private static double[] cnnGflopsPerSecond(ModelSpec spec, Modality m, Batch batch, int warmup, int iterations) {
    if (!spec.uses(m)) return new double[] {Double.NaN, Double.NaN};
    ComputationGraph cnn = new ComputationGraph(Fe2eGraph.featureExtractor(spec, m, DataType.FLOAT));
    cnn.init();
    ComputationGraph folded = InferenceGraph.fold(cnn,
        Fe2eGraph.foldedFeatureExtractor(spec, m, DataType.FLOAT, FeatureCnn.layers(spec.channelDivisor())));
    long steps = batch.mask(m).sumNumber().longValue();
    double gflops = FeatureCnn.fe2eGflops(spec, m == Modality.VISUAL ? (int) steps : 0, m == Modality.AUDIO ? (int) steps : 0);
    return new double[] {gflops / secondsPerPass(cnn, batch, m, warmup, iterations),
        gflops / secondsPerPass(folded, batch, m, warmup, iterations)};
  }

  private static double secondsPerPass(ComputationGraph cnn, Batch batch, Modality m, int warmup, int iterations) {
    INDArray[] in = {batch.features(m)};
    INDArray[] mask = {batch.mask(m)};
    for (int i = 0; i < warmup; i++) cnn.output(false, in, mask);
    long t0 = System.nanoTime();
    for (int i = 0; i < iterations; i++) cnn.output(false, in, mask);
    return (System.nanoTime() - t0) / 1e9 / iterations;
  }

  /** Which ND4J native build runs this JVM (the classifier of the nd4j-native jar on the class path). */
  public static String nd4jBuild() {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = new java.io.File(entry).getName();
      // nd4j-native-<version>-<classifier>.jar holds the native library; the -preset jars do not.
      if (name.startsWith("nd4j-native-") && !name.startsWith("nd4j-native-preset") && !name.startsWith("nd4j-native-api")
          && name.contains("linux") || name.startsWith("nd4j-cuda")) {
        return name;
      }
    }
    return "the nd4j build inside the application jar";
  }

  public static String describe(Result r) {
    return String.format(Locale.ROOT, "train %.2f utterances/s, inference %.2f utterances/s (training graph) and %.2f "
        + "(frozen: BatchNorm folded, %.2fx), CNN visual %.1f GFLOP/s, CNN audio %.1f GFLOP/s (frozen: %.1f and %.1f; %s)",
        r.trainPerSecond(), r.inferPerSecond(), r.frozenInferPerSecond(), r.frozenInferPerSecond() / r.inferPerSecond(),
        r.visualGflopsPerSecond(), r.audioGflopsPerSecond(), r.frozenVisualGflopsPerSecond(), r.frozenAudioGflopsPerSecond(),
        FoldedCnn.available(DataType.FLOAT) ? "the native folded CNN" : "DL4J's folded convolution layers");
  }
}
