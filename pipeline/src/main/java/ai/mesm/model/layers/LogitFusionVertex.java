package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link LogitFusion}: out = Σ_m w_m · x_m with the backward pass written out
 * (dx_m = w_m · ε, dw_m = Σ ε ⊙ x_m).
 */
final class LogitFusionVertex extends TrainableVertex<LogitFusion> {
  LogitFusionVertex(LogitFusion config, ComputationGraph graph, String name, int index, INDArray paramsView,
                    boolean initializeParams, DataType dataType) {
    super(config, graph, name, index, paramsView, dataType);
    if (initializeParams) config.initializeParameters(paramTable(false));
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, inputs[0].dataType(), inputs[0].shape());
    for (int m = 0; m < inputs.length; m++) out.addi(inputs[m].mul(params.getDouble(m)));
    return out;
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray[] inputGradients = new INDArray[inputs.length];
    for (int m = 0; m < inputs.length; m++) {
      inputGradients[m] = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon.mul(params.getDouble(m)));
      gradients.putScalar(m, epsilon.mul(inputs[m]).sumNumber().doubleValue());
    }
    Gradient g = new DefaultGradient(gradients);
    g.gradientForVariable().put(LogitFusion.WEIGHTS, gradients);
    return new Pair<>(g, inputGradients);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    // Its inputs are one vector per utterance: no masks to pass on.
    return new Pair<>(null, currentMaskState);
  }

  @Override
  public Map<String, INDArray> paramTable(boolean backpropOnly) {
    return Map.of(LogitFusion.WEIGHTS, params);
  }

  @Override
  public String toString() {
    return "LogitFusionVertex(" + getVertexName() + ")";
  }
}
