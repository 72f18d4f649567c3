package ai.mesm.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link MaxPool2x2} against DL4J's own 2×2 max-pool layer: outputs, and the gradients it passes back (through a 1×1 convolution's weights). */
class MaxPool2x2Test {
  private static ComputationGraph net(boolean ours, DataType type, long c, long h, long w) {
    GraphBuilder g = new NeuralNetConfiguration.Builder().seed(5).dataType(type).updater(new NoOp())
        .convolutionMode(ConvolutionMode.Truncate).graphBuilder().addInputs("in")
        // A 1x1 convolution in front: its weight gradient is what the pool passes back.
        .addLayer("mix", new ConvolutionLayer.Builder(1, 1).nOut(c).activation(Activation.IDENTITY).build(), "in");
    if (ours) {
      g.addVertex("pool", new MaxPool2x2(), "mix");
    } else {
      g.addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "mix");
    }
    g.addLayer("dense", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "pool")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build(), "dense")
        .setOutputs("out").setInputTypes(InputType.convolutional(h, w, c));
    ComputationGraph net = new ComputationGraph(g.build());
    net.init();
    return net;
  }

  // Sizes: odd edges (dropped), and a stem-sized batch that splits the planes over the cores.
  @ParameterizedTest
  @CsvSource({"FLOAT, 3, 4, 7, 6", "DOUBLE, 3, 4, 7, 6", "FLOAT, 8, 64, 48, 48", "DOUBLE, 2, 3, 4, 4"})
  void equalsDl4jsMaxPoolForwardAndBackward(DataType type, long n, long c, long h, long w) {
    ComputationGraph ours = net(true, type, c, h, w);
    ComputationGraph theirs = net(false, type, c, h, w);
    theirs.setParams(ours.params());
    Nd4j.getRandom().setSeed(11);
    INDArray x = Nd4j.randn(type, n, c, h, w); // continuous values: no ties, one argmax per window
    INDArray y = Nd4j.randn(type, n, 2);

    double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-6;
    INDArray pooled = ours.feedForward(new INDArray[] {x}, false, false).get("pool");
    INDArray expected = theirs.feedForward(new INDArray[] {x}, false, false).get("pool");
    assertArrayEquals(expected.shape(), pooled.shape());
    assertEquals(0, expected.sub(pooled).amaxNumber().doubleValue(), tolerance);

    INDArray gradOurs = gradient(ours, x, y);
    INDArray gradTheirs = gradient(theirs, x, y);
    assertEquals(0, gradTheirs.sub(gradOurs).amaxNumber().doubleValue(), tolerance * gradTheirs.amaxNumber().doubleValue());
    assertEquals(1, gradOurs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, c * c)).neq(0).castTo(DataType.INT32)
        .minNumber().intValue(), "every weight of the 1x1 convolution gets a gradient through the pool");
  }

  private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y) {
    net.setInputs(x);
    net.setLabels(y);
    net.computeGradientAndScore();
    return net.gradient().gradient().dup();
  }
}
