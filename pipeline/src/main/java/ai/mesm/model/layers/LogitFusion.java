package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference's late fusion (docs/computation.md#fe2e): one learned scalar weight per modality, logits summed,
 * Σ_m w_m · logits_m. Weights start at 1/M, so the untrained fusion is the mean of the heads.
 *
 * <p>The computation is {@link LogitFusionVertex}, written out by hand, because DL4J M2.1's
 * SameDiff vertex returns wrong gradients (inputs doubled by ND4J's external errors, see
 * {@link ExternalErrorsGain}, and the weight slices' gradients wrong).
 */
public final class LogitFusion extends HandWrittenVertex {
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
  protected GraphVertex runtime(ComputationGraph graph, String name, int index, INDArray paramsView,
                                boolean initializeParams, DataType networkDataType) {
    return new LogitFusionVertex(this, graph, name, index, paramsView, initializeParams, networkDataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.feedForward(classes);
  }

  @Override
  public LogitFusion clone() {
    return withTrainingSettings(new LogitFusion(modalities, classes));
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
