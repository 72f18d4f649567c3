package ai.mesm.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Wiring of a runtime layer that replaces a DL4J layer's, in the order DL4J's own instantiate uses. */
final class RuntimeLayers {
  private RuntimeLayers() {}

  static <L extends Layer> L wired(L layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                   int layerIndex, INDArray layerParamsView, ParamInitializer initializer,
                                   boolean initializeParams) {
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    layer.setParamTable(initializer.init(conf, layerParamsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }
}
