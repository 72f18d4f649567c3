package ai.mesm.model.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link CachedConvolution}. DL4J's convolution recomputes its pre-activation output in
 * the backward pass (its own cache needs {@code CacheMode} and copies the output into a workspace of
 * its own); at the paper's widths that second forward convolution was about a sixth of a training
 * step. With the identity activation, which every convolution before a BatchNorm has, the output of
 * the training forward pass is that pre-activation, and the graph keeps it until the backward pass
 * as the next layer's input; this layer hands it to DL4J's backward pass instead. The oneDNN path of
 * DL4J's layer takes it; its own im2col path (oneDNN helpers off) recomputes as before.
 *
 * <p>Where {@link NativeConvolution} applies (narrow float layers, docs/performance.md), the output
 * and the gradients come from the native kernels instead of DL4J's passes, and a CNN's first layer
 * ({@link CachedConvolution#first}) skips its input's gradient.
 */
public class CachedConvolutionLayer extends ConvolutionLayer {
  public CachedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    preOutput = null;
    INDArray out = nativeForward() ? nativeActivate(workspaceMgr) : super.activate(training, workspaceMgr);
    if (training && layerConf().getActivationFn() instanceof ActivationIdentity) preOutput = out;
    return out;
  }

  /** The output of a narrow bias-free layer from {@link NativeConvolution}, where its gradients would come from too. */
  private boolean nativeForward() {
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
    return !c.hasBias() && shapesTheKernelTakes()
        && NativeConvolution.forwardAppliesTo(input.dataType(), (int) c.getNIn(), (int) c.getNOut(), c.getKernelSize()[0]);
  }

  private INDArray nativeActivate(LayerWorkspaceMgr workspaceMgr) {
    INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, false, workspaceMgr);
    long[] shape = {input.size(0), layerConf().getNOut(), input.size(2), input.size(3)};
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), shape, 'c');
    NativeConvolution.forward(input, weights, out);
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    try {
      return nativeGradients() ? nativeBackprop(epsilon, workspaceMgr) : super.backpropGradient(epsilon, workspaceMgr);
    } finally {
      preOutput = null;
    }
  }

  private boolean inputGradient() {
    return !(layerConf() instanceof CachedConvolution c) || c.isInputGradient();
  }

  /**
   * Whether {@link NativeConvolution} computes this layer's gradients: a stride-1, same-padded,
   * undilated NCHW convolution with the identity activation and neither dropout nor weight noise
   * (what the CNNs build), whose shapes the kernel takes.
   */
  private boolean nativeGradients() {
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
    return shapesTheKernelTakes()
        && NativeConvolution.appliesTo(input.dataType(), (int) c.getNIn(), (int) c.getNOut(), c.getKernelSize()[0], inputGradient());
  }

  private boolean shapesTheKernelTakes() {
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
    int[] k = c.getKernelSize();
    int[] pad = c.getPadding();
    boolean samePadded = c.getConvolutionMode() == ConvolutionMode.Same || (pad[0] == k[0] / 2 && pad[1] == k[1] / 2);
    return k[0] == k[1] && k[0] % 2 == 1 && samePadded && Arrays.equals(c.getStride(), new int[] {1, 1})
        && Arrays.equals(c.getDilation(), new int[] {1, 1}) && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
        && c.getActivationFn() instanceof ActivationIdentity && c.getIDropout() == null && c.getWeightNoise() == null
        && input != null && input.rank() == 4 && input.size(1) == c.getNIn();
  }

  /** The same gradients as DL4J's backward pass (to float rounding), in the layout DL4J's updater reads. */
  private Pair<Gradient, INDArray> nativeBackprop(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
    INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
    boolean needed = inputGradient();
    // A first layer still hands its input vertex an epsilon; zeros cost a fill, not a convolution.
    INDArray epsNext = needed
        ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c')
        : workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
    NativeConvolution.compute(input, weights, epsilon, weightGrad, needed ? epsNext : null);
    Gradient gradient = new DefaultGradient();
    if (hasBias()) {
      INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
      biasGrad.assign(epsilon.sum(0, 2, 3).reshape(biasGrad.shape()));
      gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
    }
    gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
    weightNoiseParams.clear();
    return new Pair<>(gradient, epsNext);
  }
}
