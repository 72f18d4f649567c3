package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference's late fusion (SPEC §4): one learned scalar weight per modality, logits summed,
 * Σ_m w_m · logits_m. Weights start at 1/M, so the untrained fusion is the mean of the heads.
 *
 * <p>A {@link SameDiffVertex} for its configuration plumbing only (global updater, regularization,
 * JSON): the computation is {@link LogitFusionVertex}, written out by hand, because DL4J M2.1's
 * SameDiff vertex returns wrong gradients (inputs doubled by ND4J's external errors, see
 * {@link ExternalErrorsGain}, and the weight slices' gradients wrong).
 */
public final class LogitFusion extends SameDiffVertex {
  static final String WEIGHTS = "w";
  private int modalities;
  private int classes;

  public LogitFusion() {}

  public LogitFusion(int modalities, int classes) {
    this.modalities = modalities;
    this.classes = classes;
  }

  @Override
  public void defineParametersAndInputs(SDVertexParams params) {
    String[] inputs = new String[modalities];
    for (int i = 0; i < modalities; i++) inputs[i] = "in" + i;
    params.defineInputs(inputs);
    params.addWeightParam(WEIGHTS, 1, modalities);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    params.get(WEIGHTS).assign(1.0 / modalities);
  }

  @Override
  public GraphVertex instantiate(ComputationGraph graph, String name, int index, INDArray paramsView,
                                 boolean initializeParams, DataType networkDataType) {
    setName(name);
    return new LogitFusionVertex(this, graph, name, index, paramsView, initializeParams, networkDataType);
  }

  @Override
  public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                 Map<String, SDVariable> masks) {
    throw new UnsupportedOperationException("LogitFusion runs as LogitFusionVertex, not as a SameDiff graph");
  }
  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    // Its inputs are one vector per utterance: no masks to pass on.
    return new Pair<>(null, currentMaskState);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.feedForward(classes);
  }

  @Override
  public LogitFusion clone() {
    // Spark workers clone vertices: the updater and training settings must come along (STACK.md).
    LogitFusion c = new LogitFusion(modalities, classes);
    c.setUpdater(updater == null ? null : updater.clone());
    c.setBiasUpdater(biasUpdater == null ? null : biasUpdater.clone());
    c.setRegularization(regularization);
    c.setRegularizationBias(regularizationBias);
    c.setGradientNormalization(gradientNormalization);
    c.setGradientNormalizationThreshold(gradientNormalizationThreshold);
    c.setDataType(dataType);
    return c;
  }

  public int getModalities() {
    return modalities;
  }

  public void setModalities(int modalities) {
    this.modalities = modalities;
  }

  public int getClasses() {
    return classes;
  }

  public void setClasses(int classes) {
    this.classes = classes;
  }
}
