package ai.mesm.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
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
 */
public class CachedConvolutionLayer extends ConvolutionLayer {
  public CachedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    preOutput = null;
    INDArray out = super.activate(training, workspaceMgr);
    if (training && layerConf().getActivationFn() instanceof ActivationIdentity) preOutput = out;
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    try {
      return super.backpropGradient(epsilon, workspaceMgr);
    } finally {
      preOutput = null;
    }
  }
}
