package ai.mesm.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link BatchNormRelu} against DL4J's BatchNorm layer followed by its ReLU layer (oneDNN's helper
 * in float, DL4J's own arithmetic in double): training outputs, every gradient (through a
 * convolution in front), the running statistics after steps of Adam, inference outputs with them;
 * in float both with the native kernel ({@link CnnKernels}) and with the Java one.
 */
class BatchNormReluTest {
  private static ComputationGraph net(boolean fused, DataType type, long c, long h, long w) {
    GraphBuilder g = new NeuralNetConfiguration.Builder().seed(7).dataType(type).updater(new Adam(0.05))
        .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
        .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(c).hasBias(false).activation(Activation.IDENTITY).build(), "in");
    String last;
    if (fused) {
      g.addLayer("conv_bn", new BatchNormRelu(), "conv");
      last = "conv_bn";
    } else {
      g.addLayer("conv_bn", new BatchNormalization.Builder().build(), "conv")
          .addLayer("conv_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "conv_bn");
      last = "conv_relu";
    }
    g.addLayer("dense", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), last)
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build(), "dense")
        .setOutputs("out").setInputTypes(InputType.convolutional(h, w, 2));
    ComputationGraph net = new ComputationGraph(g.build());
    net.init();
    return net;
  }

  // Odd plane sizes, one channel per core and fewer, a stem-sized layer.
  @ParameterizedTest
  @CsvSource({"FLOAT, 3, 5, 7, 6, auto", "FLOAT, 3, 5, 7, 6, java", "DOUBLE, 3, 5, 7, 6, auto", "DOUBLE, 2, 1, 3, 5, auto",
      "FLOAT, 8, 16, 24, 24, auto", "FLOAT, 8, 16, 24, 24, java"})
  void equalsDl4jsBatchNormThenReluInTrainingAndInference(DataType type, long n, long c, long h, long w, String kernels) {
    CnnKernels.configure(kernels);
    try {
      long before = CnnKernels.calls();
      equalsDl4jsBatchNormThenRelu(type, n, c, h, w);
      boolean nativeRan = CnnKernels.calls() > before;
      assertEquals(type == DataType.FLOAT && kernels.equals("auto") && CnnKernels.available(), nativeRan,
          "native kernel ran: " + nativeRan + " (" + CnnKernels.describe() + ")");
    } finally {
      CnnKernels.configure("auto");
    }
  }

  private static void equalsDl4jsBatchNormThenRelu(DataType type, long n, long c, long h, long w) {
    ComputationGraph fused = net(true, type, c, h, w);
    ComputationGraph theirs = net(false, type, c, h, w);
    assertEquals(theirs.paramTable().keySet(), fused.paramTable().keySet(), "same parameters: saved models load");
    theirs.setParams(fused.params());
    Nd4j.getRandom().setSeed(3);
    // Channels far from mean 0 / variance 1, so that the statistics matter.
    INDArray x = Nd4j.randn(type, n, 2, h, w).muli(3).addi(1.5);
    INDArray y = Nd4j.randn(type, n, 2);
    double tolerance = type == DataType.DOUBLE ? 1e-9 : 2e-4;

    assertClose(theirs.feedForward(new INDArray[] {x}, true, false).get("conv_relu"),
        fused.feedForward(new INDArray[] {x}, true, false).get("conv_bn"), tolerance, "training output");
    INDArray gradTheirs = gradient(theirs, x, y);
    INDArray gradOurs = gradient(fused, x, y);
    assertClose(gradTheirs, gradOurs, tolerance, "gradients of every parameter, running-statistics steps included");

    for (int step = 0; step < 6; step++) {
      INDArray xs = x.mul(1 + 0.1 * step).addi(0.2 * step);
      theirs.fit(new INDArray[] {xs}, new INDArray[] {y});
      fused.fit(new INDArray[] {xs}, new INDArray[] {y});
    }
    for (String p : new String[] {"conv_bn_gamma", "conv_bn_beta", "conv_bn_mean", "conv_bn_log10stdev", "conv_W"}) {
      assertClose(theirs.getParam(p), fused.getParam(p), 20 * tolerance, p + " after six steps");
    }
    assertTrue(fused.getParam("conv_bn_mean").amaxNumber().doubleValue() > 0.05, "the running mean moved");
    assertClose(theirs.feedForward(new INDArray[] {x}, false, false).get("conv_relu"),
        fused.feedForward(new INDArray[] {x}, false, false).get("conv_bn"), 20 * tolerance, "inference output");
  }

  @Test
  void refusesActivationsThatAreNotImages() {
    ComputationGraph fused = net(true, DataType.FLOAT, 3, 4, 4);
    var layer = fused.getLayer("conv_bn");
    layer.setInput(Nd4j.rand(DataType.FLOAT, 2, 3), org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> layer.activate(true, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()));
    assertTrue(e.getMessage().contains("[n, C, H, W]"), e.getMessage());
  }

  private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(diff <= tolerance * scale, what + ": max difference " + diff + " (scale " + scale + ")");
  }

  private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y) {
    net.setInputs(x);
    net.setLabels(y);
    net.computeGradientAndScore();
    return net.gradient().gradient().dup();
  }
}
