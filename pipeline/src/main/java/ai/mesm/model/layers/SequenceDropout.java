package ai.mesm.model.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout on a masked sequence [mb, D, T] that keeps the mask. DL4J's DropoutLayer
 * multiplies its output by the mask as a column vector, which fails for sequences ([mb, T] mask
 * on [mb, D, T] activations), and SameDiff layers apply no dropout of their own.
 */
public final class SequenceDropout extends ParameterlessVertexConfig {
  private double dropout;

  public SequenceDropout() {}

  /** @param dropout probability of zeroing a value during training, in [0, 1) */
  public SequenceDropout(double dropout) {
    if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
    this.dropout = dropout;
  }

  public double getDropout() {
    return dropout;
  }

  public void setDropout(double dropout) {
    this.dropout = dropout;
  }

  @Override
  public SequenceDropout clone() {
    return new SequenceDropout(dropout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SequenceDropout s && s.dropout == dropout;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(dropout);
  }

  @Override
  int inputCount() {
    return 1;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new SequenceDropoutVertex(graph, name, idx, networkDatatype, dropout);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return vertexInputs[0];
  }
}
