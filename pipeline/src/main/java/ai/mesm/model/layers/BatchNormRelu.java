package ai.mesm.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BatchNorm followed by ReLU as one layer of the CNNs (conv → BatchNorm → ReLU). It is DL4J's
 * {@link BatchNormalization} in every respect that is saved or updated — the same parameters
 * (gamma, beta, mean, log10stdev) in the same order, the same defaults (decay 0.9, eps 1e-5),
 * running statistics moved through the same no-op updater — so models saved with the separate
 * BatchNorm and ReLU layers load unchanged; only the computation differs: {@link BatchNormReluLayer}
 * does the training pass in two sweeps over the activations forward and two backward, where DL4J's
 * BatchNorm and its own ReLU layer took about twelve full-size ND4J operations between them.
 */
public class BatchNormRelu extends BatchNormalization {
  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                           INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNOutSet("BatchNormRelu", getLayerName(), layerIndex, getNOut());
    return RuntimeLayers.wired(new BatchNormReluLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
        initializer(), initializeParams);
  }

  @Override
  public BatchNormRelu clone() {
    return (BatchNormRelu) super.clone();
  }
}
