package ai.mesm.model.layers;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.model.albert.AlbertConfig;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The hand-written encoders against their SameDiff definitions run by DL4J's SameDiff layer, on the
 * same parameters, padded batch and dropout masks (the seed reset before each forward pass): the
 * same output, parameter gradients and input gradient, in float.
 */
class HandWrittenEncoderLayerTest {
  private static final int DIM = 8;
  private static final int STEPS = 6;
  private static final int MB = 3;

  @ParameterizedTest(name = "dropout {0}")
  @ValueSource(doubles = {0.0, 0.25})
  void equalsTheSameDiffDefinitionForwardAndBackward(double dropout) {
    Layer[] runtimes = EncoderTiming.runtimes(new TransformerEncoder(DIM, 2, 2, 16, dropout));
    Layer hand = runtimes[0];
    Layer sameDiff = runtimes[1];
    assertInstanceOf(TransformerEncoderLayer.class, hand);
    assertInstanceOf(CorrectedSameDiffLayer.class, sameDiff);

    INDArray x = Nd4j.randn(DataType.FLOAT, MB, DIM, STEPS);
    INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}, {1, 0, 0, 0, 0, 0}});
    INDArray epsilon = Nd4j.randn(DataType.FLOAT, MB, DIM);
    Pass a = run(hand, x, mask, epsilon);
    Pass b = run(sameDiff, x, mask, epsilon);

    assertSame(b, a);
    // Padded steps reach the output through nothing: their input gradient is zero.
    assertEquals(0.0, a.gradient.getSecond().get(NDArrayIndex.point(2), NDArrayIndex.all(),
        NDArrayIndex.interval(1, STEPS)).amaxNumber().doubleValue(), 0.0);
  }

  /**
   * ALBERT computes only the real tokens' rows: texts of several lengths, one whose first position
   * is masked (it keeps every position, as the definition) and one with no real token at all.
   */
  @ParameterizedTest(name = "hidden_act {0}")
  @ValueSource(strings = {"gelu_new", "gelu", "relu"})
  void albertEqualsTheSameDiffDefinitionForwardAndBackward(String activation) {
    int tokens = 7;
    AlbertConfig config = new AlbertConfig(50, 6, 8, 3, 2, 16, activation, 10, 2, 1e-12, 0.5, 0);
    Layer[] runtimes = EncoderTiming.runtimes(new AlbertEncoder(config, tokens, new NoOp()));
    Layer hand = runtimes[0];
    assertInstanceOf(AlbertEncoderLayer.class, hand);
    assertInstanceOf(CorrectedSameDiffLayer.class, runtimes[1]);

    int mb = 5;
    INDArray x = Nd4j.randn(DataType.FLOAT, mb, 6, tokens);
    INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1}, {1, 0, 0, 0, 0, 0, 0},
        {0, 1, 1, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}});
    INDArray epsilon = Nd4j.randn(DataType.FLOAT, mb, 8);
    Pass a = run(hand, x, mask, epsilon);
    Pass b = run(runtimes[1], x, mask, epsilon);
    assertSame(b, a);
    // Padded tokens reach the output through nothing: their input gradient is zero.
    assertEquals(0.0, a.gradient.getSecond().get(NDArrayIndex.point(0), NDArrayIndex.all(),
        NDArrayIndex.interval(3, tokens)).amaxNumber().doubleValue(), 0.0);
  }

  /**
   * Texts long enough for the attention's batched GEMMs (a text's tokens × head size ≥
   * {@link SelfAttention#GEMM_MIN}) next to short ones on the Java loops, in one batch.
   */
  @org.junit.jupiter.api.Test
  void albertOnLongTextsEqualsTheSameDiffDefinition() {
    int tokens = 40;
    AlbertConfig config = new AlbertConfig(50, 8, 128, 2, 2, 32, "gelu_new", 48, 2, 1e-12, 0.2, 0);
    int headSize = config.hiddenSize() / config.numAttentionHeads();
    int[] real = {40, 33, 17, 1};
    assertTrue(real[1] * headSize >= SelfAttention.GEMM_MIN && real[2] * headSize < SelfAttention.GEMM_MIN);
    Layer[] runtimes = EncoderTiming.runtimes(new AlbertEncoder(config, tokens, new NoOp()));
    INDArray x = Nd4j.randn(DataType.FLOAT, real.length, 8, tokens);
    INDArray mask = Nd4j.zeros(DataType.FLOAT, real.length, tokens);
    for (int b = 0; b < real.length; b++) mask.get(NDArrayIndex.point(b), NDArrayIndex.interval(0, real[b])).assign(1);
    INDArray epsilon = Nd4j.randn(DataType.FLOAT, real.length, 128);
    assertSame(run(runtimes[1], x, mask, epsilon), run(runtimes[0], x, mask, epsilon));
  }

  /** The same output, input gradient and parameter gradients. */
  private static void assertSame(Pass expected, Pass actual) {
    assertClose("output", expected.output, actual.output);
    assertClose("input gradient", expected.gradient.getSecond(), actual.gradient.getSecond());
    Map<String, INDArray> want = expected.gradient.getFirst().gradientForVariable();
    assertEquals(want.keySet(), actual.gradient.getFirst().gradientForVariable().keySet());
    for (String name : want.keySet()) {
      INDArray got = actual.gradient.getFirst().getGradientFor(name);
      if (name.equals("kB")) {
        // ALBERT's key bias adds the same score to a query's every key: softmax cancels it, its
        // gradient is 0 up to rounding, which in float differs between any two summation orders.
        assertTrue(got.amaxNumber().doubleValue() < 1e-5, "kB gradient " + got.amaxNumber());
        continue;
      }
      assertClose(name, want.get(name), got);
    }
  }

  private record Pass(INDArray output, Pair<Gradient, INDArray> gradient) {}

  private static Pass run(Layer layer, INDArray x, INDArray mask, INDArray epsilon) {
    LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
    layer.setInput(x.dup(), ws);
    layer.feedForwardMaskArray(mask, MaskState.Active, (int) x.size(0));
    Nd4j.getRandom().setSeed(42);
    INDArray out = layer.activate(true, ws).dup();
    Pair<Gradient, INDArray> g = layer.backpropGradient(epsilon.dup(), ws);
    // Copies: the gradient views are the layer's own and later passes overwrite them.
    Gradient copy = new org.deeplearning4j.nn.gradient.DefaultGradient();
    g.getFirst().gradientForVariable().forEach((k, v) -> copy.gradientForVariable().put(k, v.dup()));
    return new Pass(out, new Pair<>(copy, g.getSecond().dup()));
  }

  private static void assertClose(String what, INDArray expected, INDArray actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what);
    double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
    double worst = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    assertTrue(worst <= 1e-4 * scale + 1e-6, what + ": largest difference " + worst + " (largest value " + scale + ")");
  }
}
