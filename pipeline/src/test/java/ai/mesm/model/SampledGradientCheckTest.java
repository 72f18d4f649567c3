package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The sampled check passes a correct graph and names every parameter array behind a wrong gradient. */
class SampledGradientCheckTest {
  /** Mean squared error whose gradient is 1.5 times the true one: every gradient behind it is wrong. */
  static final class SkewedMse extends LossMSE {
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
      return super.computeGradient(labels, preOutput, activationFn, mask).muli(1.5);
    }
  }

  private static List<String> check(ILossFunction loss) {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      var conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder()
          .addInputs("a")
          .addLayer("hidden", new DenseLayer.Builder().nOut(20).activation(Activation.TANH).build(), "a")
          .addLayer("out", new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build(), "hidden")
          .addLayer("loss", new LossLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).build(), "out")
          .setOutputs("loss").setInputTypes(InputType.feedForward(4)).build();
      ComputationGraph net = new ComputationGraph(conf);
      net.init();
      var data = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {Nd4j.randn(DataType.DOUBLE, 5, 4)},
          new INDArray[] {Nd4j.randn(DataType.DOUBLE, 5, 3)});
      return SampledGradientCheck.run(net, data, name -> true, SampledGradientCheck.PER_ARRAY, 1e-6, 1e-3, 1e-8);
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void aCorrectGraphPasses() {
    assertEquals(List.of(), check(new LossMSE()));
  }

  @Test
  void aWrongGradientIsFoundInEveryArrayBehindIt() {
    List<String> failures = check(new SkewedMse());
    // Sampled in the larger arrays, all three elements of the output bias.
    Map<String, Integer> expected = Map.of("hidden_W", SampledGradientCheck.PER_ARRAY, "hidden_b",
        SampledGradientCheck.PER_ARRAY, "out_W", SampledGradientCheck.PER_ARRAY, "out_b", 3);
    expected.forEach((array, n) -> assertEquals((long) n, failures.stream().filter(f -> f.startsWith(array + "[")).count(),
        array + " in " + failures));
    assertEquals(3 * SampledGradientCheck.PER_ARRAY + 3, failures.size(), failures.toString());
  }
}
