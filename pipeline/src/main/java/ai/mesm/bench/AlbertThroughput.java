package ai.mesm.bench;

import ai.mesm.model.Batch;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.albert.AlbertConfig;
import ai.mesm.model.albert.PretrainedText;
import ai.mesm.model.text.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The cost of the paper's text encoder: an ALBERT-base-sized encoder (albert-base-v2's
 * configuration, random weights: nothing is downloaded) on batches of 8 texts × 100 tokens,
 * forward and forward+backward (also with texts of 20 real tokens), in utterances/s and achieved
 * GFLOP/s against the analytic count, with the peak memory; then FE2E T+A+V training with it next
 * to the small encoder, in one run.
 */
public final class AlbertThroughput {
  public static final int BATCH = 8;
  public static final int TOKENS = 100;
  /** Real tokens per text in the short-text row. */
  static final int SHORT_TEXT = 20;

  private AlbertThroughput() {}

  /**
   * Speed and memory of one kind of step. ND4J's arrays live outside the Java heap and are freed
   * when the collector finds their Java objects, so the process's resident memory (peak RSS)
   * includes arrays already dead; JavaCPP's maxphysicalbytes setting bounds it.
   */
  public record Row(String what, double utterancesPerSecond, double gflopsPerSecond, long peakHeapBytes,
                    long peakResidentBytes) {
    public String describe() {
      String gflops = Double.isNaN(gflopsPerSecond) ? "      -" : String.format(Locale.ROOT, "%7.1f", gflopsPerSecond);
      return String.format(Locale.ROOT, "%-44s %7.2f utterances/s  %s GFLOP/s  peak heap %5d MiB  peak RSS %5d MiB",
          what, utterancesPerSecond, gflops, peakHeapBytes >> 20, peakResidentBytes >> 20);
    }
  }

  /** albert-base-v2's encoder with random weights: nothing to download, the same size and cost. */
  public static PretrainedText albertBase() {
    return new PretrainedText(AlbertConfig.base(), 10, "random weights (bench)", "{}", "none");
  }

  /** The encoder alone (text-only FE2E: embeddings, ALBERT, head): forward, then forward+backward+update. */
  public static List<Row> encoder(ModelSpec textOnly, int warmup, int iterations) {
    EmotionModel model = EmotionModel.create(textOnly, WordPieceTokenizer.numbered(textOnly.vocabSize()),
        new float[] {0, 0, 0}, new float[] {1, 1, 1});
    Batch batch = ModelThroughput.randomBatch(textOnly, BATCH, 1, 1, textOnly.seed());
    double flops = 2 * textOnly.albert().config().macsPerSequence(TOKENS) * BATCH;
    List<Row> rows = new ArrayList<>();
    rows.add(timed("ALBERT-base forward, batch 8 x 100 tokens", () -> model.probabilities(batch), flops, warmup, iterations));
    // Backward costs about twice the forward: three times the forward's FLOPs in all.
    rows.add(timed("ALBERT-base forward+backward+Adam, 8 x 100", () -> model.fit(batch), 3 * flops, warmup, iterations));
    // Texts as long as spoken utterances are (IEMOCAP's average a dozen or two tokens), padded to 100: the
    // encoder computes the real tokens only, so a step costs what the real tokens' FLOPs say.
    INDArray shortTexts = Nd4j.zeros(DataType.FLOAT, BATCH, TOKENS);
    shortTexts.get(NDArrayIndex.all(), NDArrayIndex.interval(0, SHORT_TEXT)).assign(1);
    Batch shorter = new Batch(batch.ids(), batch.tokens(), shortTexts, batch.visual(), batch.visualMask(), batch.audio(),
        batch.audioMask(), batch.labels());
    double shortFlops = 2 * textOnly.albert().config().macsPerSequence(SHORT_TEXT) * BATCH;
    rows.add(timed("ALBERT-base forward+backward+Adam, 8 x 20 of 100", () -> model.fit(shorter), 3 * shortFlops, warmup,
        iterations));
    return rows;
  }

  /** FE2E training steps on {@code spec} (utterances/s; FLOPs not counted). */
  public static Row training(String what, ModelSpec spec, Batch batch, int warmup, int iterations) {
    EmotionModel model = EmotionModel.create(spec, spec.uses(Modality.TEXT) ? WordPieceTokenizer.numbered(spec.vocabSize()) : null,
        new float[] {0, 0, 0}, new float[] {1, 1, 1});
    return timed(what, () -> model.fit(batch), Double.NaN, warmup, iterations);
  }

  private static Row timed(String what, Runnable step, double flopsPerStep, int warmup, int iterations) {
    for (int i = 0; i < warmup; i++) step.run();
    long t0 = System.nanoTime();
    for (int i = 0; i < iterations; i++) step.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    // Memory in a pass of its own: the heap sampler's full collections would slow the timed one.
    long residentPeak = Pointer.physicalBytes();
    long heapPeak;
    try (HeapPeaks heap = HeapPeaks.start()) {
      for (int i = 0; i < 2; i++) {
        step.run();
        residentPeak = Math.max(residentPeak, Pointer.physicalBytes());
      }
      heapPeak = heap.peakUsedBytes();
    }
    return new Row(what, BATCH * iterations / seconds, flopsPerStep * iterations / seconds / 1e9, heapPeak, residentPeak);
  }
}
