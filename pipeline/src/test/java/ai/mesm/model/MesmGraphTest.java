package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.testing.Slow;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * MESM assembled in the DL4J graph (text encoder CLS → sparse blocks of audio and visual): the
 * whole graph passes DL4J's gradient check in SCALED mode, padding does not change its outputs,
 * and in REFERENCE mode training leaves the attention parameters exactly as initialised.
 */
class MesmGraphTest {
  private static final List<Modality> TAV = List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL);

  static ModelSpec mesm(double p, String attention) {
    return RandomInputs.tinySpec(TAV, false).toBuilder().type("mesm").learningRate(1e-2).topP(p)
        .attentionGradient(attention).build();
  }

  @Test
  @Slow
  void gradientCheckOfTheWholeGraphInScaledMode() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      ModelSpec spec = mesm(1.0, "scaled");
      ComputationGraph net = new ComputationGraph(Fe2eGraph.build(spec, DataType.DOUBLE, new NoOp()));
      net.init();
      RandomInputs in = new RandomInputs(spec, new int[][] {{5, 2, 1}, {3, 1, 2}}, new int[] {7, 3, 3}, 4, DataType.DOUBLE);
      var data = new org.nd4j.linalg.dataset.MultiDataSet(in.features, new INDArray[] {in.labels}, in.masks, null);
      // The sparse vertices, what feeds their query (text) and their input (the stem's first and last
      // convolution), and what reads their output (projections, heads, fusion).
      List<String> failures = SampledGradientCheck.run(net, data, name -> name.contains("sparse") || name.startsWith("text")
          || name.contains("cnn0_") || name.contains("cnn5_") || name.contains("fc") || name.contains("head")
          || name.startsWith("fusion"), 2, 1e-6, 1e-3, 1e-8);
      assertTrue(failures.isEmpty(), String.join("\n", failures));
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void paddedFramesAndChunksDoNotChangeTheOutputs() {
    ModelSpec spec = mesm(0.6, "reference");
    ComputationGraph g = new ComputationGraph(Fe2eGraph.build(spec, DataType.FLOAT));
    g.init();
    int[][] lengths = {{5, 2, 3}, {3, 1, 1}, {7, 3, 2}};
    RandomInputs tight = new RandomInputs(spec, lengths, new int[] {7, 3, 3}, 3, DataType.FLOAT);
    RandomInputs padded = new RandomInputs(spec, lengths, new int[] {7, 5, 6}, 3, DataType.FLOAT);
    assertTrue(g.output(false, tight.features, tight.masks)[0].equalsWithEps(g.output(false, padded.features, padded.masks)[0],
        1e-5));
  }

  @Test
  void referenceModeLeavesTheAttentionUntrained() {
    ModelSpec spec = mesm(0.5, "reference");
    ComputationGraph g = new ComputationGraph(Fe2eGraph.build(spec, DataType.FLOAT, new Adam(1e-2)));
    g.init();
    RandomInputs in = new RandomInputs(spec, new int[][] {{5, 2, 3}, {3, 1, 1}}, new int[] {7, 3, 3}, 5, DataType.FLOAT);
    var before = g.getVertex("visual_sparse").paramTable(false);
    INDArray wx = before.get("b0attWx").dup();
    INDArray conv = before.get("b0conv1").dup();
    for (int i = 0; i < 3; i++) g.fit(new org.nd4j.linalg.dataset.MultiDataSet(in.features, new INDArray[] {in.labels}, in.masks, null));
    var after = g.getVertex("visual_sparse").paramTable(false);
    assertEquals(wx, after.get("b0attWx"), "attention parameters do not change in REFERENCE mode");
    assertNotEquals(conv, after.get("b0conv1"), "the sparse convolutions do train");
  }
}
