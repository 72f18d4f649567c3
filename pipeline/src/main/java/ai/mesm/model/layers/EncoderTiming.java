package ai.mesm.model.layers;

import ai.mesm.model.albert.AlbertConfig;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * One encoder's training pass (forward, then backward) timed side by side on the two
 * runtimes of the same parameters: the hand-written one ({@link TransformerEncoderLayer}, {@link AlbertEncoderLayer}) and its SameDiff
 * definition run by DL4J's SameDiff layer, in interleaved rounds (make bench, docs/performance.md).
 */
public final class EncoderTiming {
  private EncoderTiming() {}

  /**
   * The encoder's two runtimes over the same (initialised) float parameters, each with its own
   * gradient view: the hand-written layer, then DL4J's SameDiff layer running its definition.
   */
  static Layer[] runtimes(SequenceEncoderLayer encoder) {
    NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).layer(encoder).build();
    long n = encoder.initializer().numParams(conf);
    INDArray params = Nd4j.create(DataType.FLOAT, 1, n);
    Layer[] layer = {encoder.instantiate(conf, null, 0, params, true, DataType.FLOAT),
        encoder.instantiate(new CorrectedSameDiffLayer(conf, DataType.FLOAT), conf, 0, params, false)};
    for (Layer l : layer) l.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, n));
    return layer;
  }

  /** A Transformer encoder's line: {@link #time} over {@code mb} × {@code steps} steps, none padded. */
  public static String compare(int dim, int heads, int layers, int feedForward, int steps, int mb, int rounds) {
    return String.format(Locale.ROOT, "dim %d, %d layers, feed-forward %d, %d x %d steps: ", dim, layers, feedForward, mb,
        steps) + time(new TransformerEncoder(dim, heads, layers, feedForward, 0.1), steps, steps, mb, rounds);
  }

  /** ALBERT's encoder's line: texts of {@code real} tokens padded to {@code tokens}, as the model feeds them. */
  public static String compareAlbert(AlbertConfig config, int tokens, int real, int mb, int rounds) {
    return String.format(Locale.ROOT, "hidden %d, %d layers, intermediate %d, %d x %d tokens (%d real): ",
        config.hiddenSize(), config.numHiddenLayers(), config.intermediateSize(), mb, tokens, real)
        + time(new AlbertEncoder(config, tokens, new NoOp()), tokens, real, mb, rounds);
  }

  /** Best forward and backward milliseconds of each runtime over {@code rounds} interleaved rounds of 5. */
  private static String time(SequenceEncoderLayer encoder, int steps, int real, int mb, int rounds) {
    Layer[] layer = runtimes(encoder);
    INDArray x = Nd4j.randn(DataType.FLOAT, mb, encoder.inputSize(), steps);
    INDArray mask = Nd4j.zeros(DataType.FLOAT, mb, steps);
    mask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, real)).assign(1);
    INDArray epsilon = Nd4j.randn(DataType.FLOAT, mb, encoder.outputSize());
    double[][] best = {{Double.MAX_VALUE, Double.MAX_VALUE}, {Double.MAX_VALUE, Double.MAX_VALUE}};
    LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < layer.length; k++) {
        for (int i = 0; i < 5; i++) {
          layer[k].setInput(x, ws);
          layer[k].feedForwardMaskArray(mask, MaskState.Active, mb);
          long t0 = System.nanoTime();
          layer[k].activate(true, ws);
          long t1 = System.nanoTime();
          layer[k].backpropGradient(epsilon, ws);
          long t2 = System.nanoTime();
          best[k][0] = Math.min(best[k][0], (t1 - t0) / 1e6);
          best[k][1] = Math.min(best[k][1], (t2 - t1) / 1e6);
        }
      }
    }
    return String.format(Locale.ROOT, "by hand forward %.1f ms, backward %.1f ms; SameDiff forward %.1f ms, backward "
        + "%.1f ms (training pass %.2fx faster by hand)", best[0][0], best[0][1], best[1][0], best[1][1],
        (best[1][0] + best[1][1]) / (best[0][0] + best[0][1]));
  }
}
