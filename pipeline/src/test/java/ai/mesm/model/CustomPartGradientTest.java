package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.mesm.testing.Slow;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Gradient checks (double precision) of each custom part on its own, with
 * a Dense layer in front so that the gradient it passes to its input is checked too (through that
 * layer's parameters). {@link Fe2eGraphTest} checks them all together in one graph. These caught
 * ND4J M2.1 doubling the error behind every SameDiff layer ({@link ai.mesm.model.layers.ExternalErrorsGain}).
 */
@Slow
class CustomPartGradientTest {
  private static boolean check(boolean fusion) {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      var b = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder()
          .addInputs("a", "b")
          .addLayer("ha", new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build(), "a")
          .addLayer("hb", new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build(), "b");
      String last;
      if (fusion) {
        b.addVertex("fusion", new ai.mesm.model.layers.LogitFusion(2, 6), "ha", "hb");
        last = "fusion";
      } else {
        b.addVertex("fusion", new org.deeplearning4j.nn.conf.graph.ElementWiseVertex(org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add), "ha", "hb");
        last = "fusion";
      }
      var conf = b.addLayer("loss", new LossLayer.Builder().lossFunction(new ai.mesm.model.loss.WeightedBceWithLogits(
              new double[] {1, 2, 3, 0.5, 1.5, 4})).activation(Activation.IDENTITY).build(), last)
          .setOutputs("loss").setInputTypes(InputType.feedForward(4), InputType.feedForward(3)).build();
      ComputationGraph net = new ComputationGraph(conf);
      net.init();
      INDArray a = Nd4j.randn(DataType.DOUBLE, 3, 4);
      INDArray bb = Nd4j.randn(DataType.DOUBLE, 3, 3);
      INDArray labels = Nd4j.create(new double[][] {{1, 0, 0, 1, 0, 0}, {0, 1, 0, 0, 0, 1}, {0, 0, 1, 0, 1, 0}});
      return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net).inputs(new INDArray[] {a, bb})
          .labels(new INDArray[] {labels}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
          .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void lossAloneWithAnElementWiseSum() {
    assertTrue(check(false));
  }

  @Test
  void logitFusionWeightsAndInputs() {
    assertTrue(check(true));
  }

  @Test
  void transformerEncoderWithMaskedSteps() {
    assertTrue(checkEncoder(0.0));
  }

  /**
   * With dropout inside the layers: the seed is reset before every pass, so each pass draws the
   * same masks, and the check holds only if the backward pass uses the masks of its forward pass.
   */
  @Test
  void transformerEncoderWithDropoutUsesTheForwardMasksBackward() {
    assertTrue(checkEncoder(0.3));
  }

  private static boolean checkEncoder(double dropout) {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      var conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder()
          .addInputs("a")
          .addLayer("in", new org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed(
              new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build()), "a")
          .addLayer("enc", new ai.mesm.model.layers.TransformerEncoder(4, 2, 2, 8, dropout), "in")
          .addLayer("head", new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build(), "enc")
          .addLayer("loss", new LossLayer.Builder().lossFunction(new ai.mesm.model.loss.WeightedBceWithLogits(
              new double[] {1, 2, 3, 0.5, 1.5, 4})).activation(Activation.IDENTITY).build(), "head")
          .setOutputs("loss").setInputTypes(InputType.recurrent(4)).build();
      ComputationGraph net = new ComputationGraph(conf);
      net.init();
      INDArray a = Nd4j.randn(DataType.DOUBLE, 3, 4, 5);
      INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 0, 0, 0, 0}});
      INDArray labels = Nd4j.create(new double[][] {{1, 0, 0, 1, 0, 0}, {0, 1, 0, 0, 0, 1}, {0, 0, 1, 0, 1, 0}});
      var data = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {a}, new INDArray[] {labels},
          new INDArray[] {mask}, null);
      List<String> failures = SampledGradientCheck.run(net, data, name -> true, SampledGradientCheck.PER_ARRAY, 1e-6,
          1e-3, 1e-8, () -> Nd4j.getRandom().setSeed(11));
      assertEquals(List.of(), failures);
      return true;
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }
}
