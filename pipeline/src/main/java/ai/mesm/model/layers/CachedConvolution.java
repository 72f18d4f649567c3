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
  /** For the configuration's JSON (Spark's training master sends the graph to its executors as JSON). */
  public CachedConvolution() {}

  private CachedConvolution(ConvolutionLayer.Builder builder) {
    super(builder);
  }

  /** The layer that {@code builder} describes, with the cached runtime. */
  public static CachedConvolution of(ConvolutionLayer.Builder builder) {
    return new CachedConvolution(builder);
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
