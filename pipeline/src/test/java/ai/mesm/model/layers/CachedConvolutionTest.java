package ai.mesm.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link CachedConvolution} trains exactly as DL4J's convolution does (a 5×5 first convolution and a
 * 3×3 one, each with BatchNorm + ReLU, as in the CNNs): with DL4J's backward pass the same outputs,
 * gradients and parameters after steps of Adam, bit for bit, since the output it keeps is the one
 * DL4J would compute again; with the native gradients ({@link NativeConvolution}) the same to float
 * rounding; and its configuration survives the JSON that Spark's training master sends to the
 * executors.
 */
class CachedConvolutionTest {
  private static ComputationGraphConfiguration conf(boolean cached, DataType type) {
    GraphBuilder g = new NeuralNetConfiguration.Builder().seed(11).dataType(type).updater(new Adam(0.05))
        .convolutionMode(ConvolutionMode.Truncate).graphBuilder().addInputs("in");
    String previous = "in";
    for (int i = 0; i < 2; i++) {
      int k = i == 0 ? 5 : 3;
      ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(k, k).padding(k / 2, k / 2).nOut(4 + 4 * i).hasBias(false)
          .activation(Activation.IDENTITY);
      g.addLayer("conv" + i, !cached ? b.build() : i == 0 ? CachedConvolution.first(b) : CachedConvolution.of(b), previous)
          .addLayer("conv" + i + "_bn", new BatchNormRelu(), "conv" + i);
      previous = "conv" + i + "_bn";
    }
    g.addLayer("dense", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), previous)
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build(), "dense")
        .setOutputs("out").setInputTypes(InputType.convolutional(9, 7, 2));
    return g.build();
  }

  private static ComputationGraph net(boolean cached, DataType type) {
    ComputationGraph net = new ComputationGraph(conf(cached, type));
    net.init();
    return net;
  }

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
  void trainsBitForBitAsDl4jsConvolution(DataType type) {
    CnnKernels.configure("java");
    try {
      long before = CnnKernels.calls();
      trainsAsDl4jsConvolution(type, 0);
      assertEquals(before, CnnKernels.calls(), "DL4J's backward pass and the Java BatchNorm throughout");
    } finally {
      CnnKernels.configure("auto");
    }
  }

  @Test
  void trainsWithTheNativeGradientsAsWithDl4js() {
    NativeConvolutionTest.assumeNative();
    CnnKernels.configure("native");
    try {
      long before = CnnKernels.calls();
      trainsAsDl4jsConvolution(DataType.FLOAT, 1e-4);
      assertTrue(CnnKernels.calls() - before >= 2 * 6, "both layers' gradients came from the native kernels");
    } finally {
      CnnKernels.configure("auto");
    }
  }

  private static void trainsAsDl4jsConvolution(DataType type, double eps) {
    ComputationGraph cached = net(true, type);
    ComputationGraph theirs = net(false, type);
    assertEquals(theirs.paramTable().keySet(), cached.paramTable().keySet(), "same parameters: saved models load");
    theirs.setParams(cached.params());
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.randn(type, 6, 2, 9, 7).muli(2).addi(0.5);
    INDArray y = Nd4j.randn(type, 6, 2);
    assertClose(gradient(theirs, x, y), gradient(cached, x, y), eps, "gradients of every parameter");
    for (int step = 0; step < 5; step++) {
      INDArray xs = x.mul(1 + 0.1 * step).addi(0.2 * step);
      theirs.fit(new INDArray[] {xs}, new INDArray[] {y});
      // An inference pass between steps must not leave an output behind for the next backward pass.
      cached.output(x.mul(-1));
      cached.fit(new INDArray[] {xs}, new INDArray[] {y});
    }
    assertClose(theirs.params(), cached.params(), eps, "parameters after five steps of Adam");
    assertClose(theirs.outputSingle(x), cached.outputSingle(x), eps, "inference output");
  }

  /** Equal bit for bit at eps 0, else within eps of the larger magnitude. */
  private static void assertClose(INDArray expected, INDArray actual, double eps, String what) {
    if (eps == 0) {
      assertEquals(expected, actual, what);
      return;
    }
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(diff <= eps * scale, what + ": differs by " + diff);
  }

  @Test
  void survivesTheConfigurationsJson() {
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf(true, DataType.FLOAT).toJson());
    LayerVertex conv = (LayerVertex) back.getVertices().get("conv1");
    assertInstanceOf(CachedConvolution.class, conv.getLayerConf().getLayer());
    ComputationGraph net = new ComputationGraph(back);
    net.init();
    assertInstanceOf(CachedConvolutionLayer.class, net.getLayer("conv1"));
    CachedConvolution first = (CachedConvolution) ((LayerVertex) back.getVertices().get("conv0")).getLayerConf().getLayer();
    assertFalse(first.isInputGradient(), "the first layer still skips its input's gradient on an executor");
    assertTrue(((CachedConvolution) conv.getLayerConf().getLayer()).isInputGradient());
  }

  private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y) {
    net.setInputs(x);
    net.setLabels(y);
    net.computeGradientAndScore();
    return net.gradient().gradient().dup();
  }
}
