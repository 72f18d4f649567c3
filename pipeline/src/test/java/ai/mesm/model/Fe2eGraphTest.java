package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class Fe2eGraphTest {

  private static ComputationGraph graph(ModelSpec spec, DataType type) {
    ComputationGraph g = new ComputationGraph(Fe2eGraph.build(spec, type));
    g.init();
    return g;
  }

  @Test
  void gradientsOfEveryCustomPartMatchFiniteDifferences() {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), true);
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      checkGradients(spec);
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  private static void checkGradients(ModelSpec spec) {
    ComputationGraph g = new ComputationGraph(Fe2eGraph.build(spec, DataType.DOUBLE, new NoOp()));
    g.init();
    RandomInputs in = new RandomInputs(spec, new int[][] {{5, 2, 3}, {3, 1, 0}, {7, 3, 2}}, new int[] {7, 3, 3}, 1,
        DataType.DOUBLE);
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(in.features)
        .inputMask(in.masks).labels(new INDArray[] {in.labels}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
        .subset(true).maxPerParam(12).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    assertTrue(ok, "gradient check failed (see the log for the parameter)");
  }

  @Test
  void paddingDoesNotChangeOutputs() {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false);
    ComputationGraph g = graph(spec, DataType.FLOAT);
    int[][] lengths = {{5, 2, 3}, {3, 1, 0}, {7, 3, 2}};
    RandomInputs tight = new RandomInputs(spec, lengths, new int[] {7, 3, 3}, 3, DataType.FLOAT);
    RandomInputs padded = new RandomInputs(spec, lengths, new int[] {7, 6, 8}, 3, DataType.FLOAT);
    INDArray a = g.output(false, tight.features, tight.masks)[0];
    INDArray b = g.output(false, padded.features, padded.masks)[0];
    assertEquals(a, b);
  }
}
