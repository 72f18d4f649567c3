package ai.mesm.model.layers;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What every runtime vertex of ours without parameters shares. */
abstract class ParameterlessVertex extends LayerlessVertex {
  ParameterlessVertex(ComputationGraph graph, String name, int index, DataType dataType) {
    super(graph, name, index, dataType);
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    if (backpropGradientsViewArray != null) throw new IllegalStateException(getVertexName() + " has no parameters");
  }
}
