package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a vertex whose computation is written out by hand ({@link TrainableVertex}):
 * a {@link SameDiffVertex} only for DL4J's plumbing (global updater, regularization, JSON), never
 * run as a SameDiff graph. Its output is one vector or map per item: no masks pass on.
 */
public abstract class HandWrittenVertex extends SameDiffVertex {
  /** The runtime vertex over {@code paramsView}. */
  protected abstract GraphVertex runtime(ComputationGraph graph, String name, int index, INDArray paramsView,
                                         boolean initializeParams, DataType networkDataType);

  @Override
  public final GraphVertex instantiate(ComputationGraph graph, String name, int index, INDArray paramsView,
                                       boolean initializeParams, DataType networkDataType) {
    setName(name);
    return runtime(graph, name, index, paramsView, initializeParams, networkDataType);
  }

  @Override
  public final SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                       Map<String, SDVariable> masks) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is computed by hand, not as a SameDiff graph");
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    return new Pair<>(null, currentMaskState);
  }

  /** {@code copy} with this vertex's updater and training settings: Spark workers clone vertices (docs/stack.md). */
  protected <T extends HandWrittenVertex> T withTrainingSettings(T copy) {
    copy.setUpdater(updater == null ? null : updater.clone());
    copy.setBiasUpdater(biasUpdater == null ? null : biasUpdater.clone());
    copy.setRegularization(regularization);
    copy.setRegularizationBias(regularizationBias);
    copy.setGradientNormalization(gradientNormalization);
    copy.setGradientNormalizationThreshold(gradientNormalizationThreshold);
    copy.setDataType(dataType);
    return copy;
  }
}
