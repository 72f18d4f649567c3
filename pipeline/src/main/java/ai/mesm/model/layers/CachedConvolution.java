package ai.mesm.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution of the CNNs in the training graph. It is DL4J's {@link ConvolutionLayer} in every
 * respect that is saved or updated (same parameters, layout and defaults), so models load
 * unchanged; only its runtime, {@link CachedConvolutionLayer}, keeps the output of the training
 * forward pass for the backward pass, which DL4J's layer computes a second time.
 */
public class CachedConvolution extends ConvolutionLayer {
  /**
   * False for a CNN's first convolution, whose input (pixels, mel bins) needs no gradient: where the
   * native gradient kernel runs, it then computes the weights' gradient alone. In the JSON, so the
   * executors build the same layers; absent in the JSON of models saved before it (true).
   */
  private boolean inputGradient = true;

  /** For the configuration's JSON (Spark's training master sends the graph to its executors as JSON). */
  public CachedConvolution() {}

  private CachedConvolution(ConvolutionLayer.Builder builder) {
    super(builder);
  }

  /** The layer that {@code builder} describes, with the cached runtime. */
  public static CachedConvolution of(ConvolutionLayer.Builder builder) {
    return new CachedConvolution(builder);
  }

  /** The layer that {@code builder} describes, for a CNN's input: its input's gradient is never read. */
  public static CachedConvolution first(ConvolutionLayer.Builder builder) {
    CachedConvolution layer = new CachedConvolution(builder);
    layer.inputGradient = false;
    return layer;
  }

  /** Whether the layer below reads this layer's input gradient. */
  public boolean isInputGradient() {
    return inputGradient;
  }

  public void setInputGradient(boolean inputGradient) {
    this.inputGradient = inputGradient;
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                           INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNInNOutSet("CachedConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
    return RuntimeLayers.wired(new CachedConvolutionLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
        initializer(), initializeParams);
  }

  @Override
  public CachedConvolution clone() {
    return (CachedConvolution) super.clone();
  }
}
