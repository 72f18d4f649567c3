package ai.mesm.model.layers;

import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A runtime vertex with parameters: they and their gradients live in the graph's flattened
 * parameter and gradient views like any layer's, so the updater, serialization and parameter
 * averaging see them; the configuration supplies the updater.
 */
abstract class TrainableVertex<C extends HandWrittenVertex> extends LayerlessVertex {
  protected final C config;
  protected final INDArray params;
  protected INDArray gradients;

  TrainableVertex(C config, ComputationGraph graph, String name, int index, INDArray paramsView, DataType dataType) {
    super(graph, name, index, dataType);
    this.config = config;
    this.params = paramsView;
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    gradients = backpropGradientsViewArray;
  }

  @Override
  public INDArray params() {
    return params;
  }

  @Override
  public INDArray getGradientsViewArray() {
    return gradients;
  }

  @Override
  public TrainingConfig getConfig() {
    return config;
  }
}
