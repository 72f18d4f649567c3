package ai.mesm.model.layers;

import static org.junit.jupiter.api.Assertions.*;

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

/**
 * The hand-written encoder against its SameDiff definition run by DL4J's SameDiff layer, on the
 * same parameters, padded batch and dropout masks (the seed reset before each forward pass): the
 * same output, parameter gradients and input gradient, in float.
 */
class TransformerEncoderLayerTest {
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

    assertClose("output", b.output, a.output);
    assertClose("input gradient", b.gradient.getSecond(), a.gradient.getSecond());
    assertEquals(b.gradient.getFirst().gradientForVariable().keySet(), a.gradient.getFirst().gradientForVariable().keySet());
    for (String name : b.gradient.getFirst().gradientForVariable().keySet()) {
      assertClose(name, b.gradient.getFirst().getGradientFor(name), a.gradient.getFirst().getGradientFor(name));
    }
    // Padded steps reach the output through nothing: their input gradient is zero.
    assertEquals(0.0, a.gradient.getSecond().get(org.nd4j.linalg.indexing.NDArrayIndex.point(2),
        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, STEPS))
        .amaxNumber().doubleValue(), 0.0);
  }

  private record Pass(INDArray output, Pair<Gradient, INDArray> gradient) {}

  private static Pass run(Layer layer, INDArray x, INDArray mask, INDArray epsilon) {
    LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
    layer.setInput(x.dup(), ws);
    layer.feedForwardMaskArray(mask, MaskState.Active, MB);
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
