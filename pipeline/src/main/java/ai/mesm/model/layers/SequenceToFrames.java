package ai.mesm.model.layers;

import java.util.Objects;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of the vertex that turns a masked sequence of images [mb, C·H·W, T] into a batch
 * of only its real images [n, C, H, W] for per-frame CNN layers. Dropping padded steps (rather than
 * reshaping to [mb·T, C, H, W]) keeps padding out of BatchNorm's batch statistics, so padding
 * cannot change any output, and saves the CNN work on padding. {@link FramesToSequence} restores
 * the sequence layout after the CNN.
 */
public final class SequenceToFrames extends ParameterlessVertexConfig {
  private int channels;
  private int height;
  private int width;

  public SequenceToFrames() {}

  public SequenceToFrames(int channels, int height, int width) {
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  public int getChannels() {
    return channels;
  }

  public void setChannels(int channels) {
    this.channels = channels;
  }

  public int getHeight() {
    return height;
  }

  public void setHeight(int height) {
    this.height = height;
  }

  public int getWidth() {
    return width;
  }

  public void setWidth(int width) {
    this.width = width;
  }

  @Override
  public SequenceToFrames clone() {
    return new SequenceToFrames(channels, height, width);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SequenceToFrames s && s.channels == channels && s.height == height && s.width == width;
  }

  @Override
  public int hashCode() {
    return Objects.hash(channels, height, width);
  }

  @Override
  int inputCount() {
    return 1;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new SequenceToFramesVertex(graph, name, idx, networkDatatype, new long[] {channels, height, width});
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.convolutional(height, width, channels);
  }
}
