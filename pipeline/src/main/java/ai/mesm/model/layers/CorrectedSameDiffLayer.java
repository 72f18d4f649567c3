package ai.mesm.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's runtime SameDiff layer with the error scaled by 1 / {@link ExternalErrorsGain}, so that
 * its parameter and input gradients are the true ones (DL4J's gradient check holds them to it).
 */
final class CorrectedSameDiffLayer extends SameDiffLayer {
  CorrectedSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    double gain = ExternalErrorsGain.get();
    return super.backpropGradient(gain == 1.0 ? epsilon : epsilon.div(gain), workspaceMgr);
  }
}
