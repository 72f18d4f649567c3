package ai.mesm.model.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a 2×2 max-pool with stride 2 on [n, C, H, W] (odd edges dropped, as DL4J's
 * Truncate mode): the CNN's pooling in both models. DL4J's {@code SubsamplingLayer} computes the
 * same, but on this plain layout oneDNN runs it in its reference kernel, which took ~200 ms for
 * the stem's pool over 104 audio chunks; {@link MaxPool2x2Vertex} takes a fraction of that.
 * Models saved with the DL4J layer keep it when loaded.
 */
public final class MaxPool2x2 extends ParameterlessVertexConfig {
  @Override
  public MaxPool2x2 clone() {
    return new MaxPool2x2();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaxPool2x2;
  }

  @Override
  public int hashCode() {
    return MaxPool2x2.class.hashCode();
  }

  @Override
  int inputCount() {
    return 1;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new MaxPool2x2Vertex(graph, name, idx, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    if (!(vertexInputs[0] instanceof InputType.InputTypeConvolutional in)) {
      throw new IllegalArgumentException("2x2 max-pool needs a convolutional input, got " + vertexInputs[0]);
    }
    return InputType.convolutional(in.getHeight() / 2, in.getWidth() / 2, in.getChannels());
  }
}
