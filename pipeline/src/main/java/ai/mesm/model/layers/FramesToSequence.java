package ai.mesm.model.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of the vertex that puts per-frame vectors [n, D] back into sequence layout
 * [mb, D, T] (zeros at padded steps) and passes the sequence mask on. Its second input is the
 * sequence that {@link SequenceToFrames} took apart: it supplies mb, T and the mask.
 */
public final class FramesToSequence extends ParameterlessVertexConfig {
  @Override
  public FramesToSequence clone() {
    return new FramesToSequence();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FramesToSequence;
  }

  @Override
  public int hashCode() {
    return FramesToSequence.class.hashCode();
  }

  @Override
  int inputCount() {
    return 2;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new FramesToSequenceVertex(graph, name, idx, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    long features = vertexInputs[0].arrayElementsPerExample();
    long steps = vertexInputs[1] instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
    return InputType.recurrent(features, steps);
  }
}
