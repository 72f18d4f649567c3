package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's runtime SameDiff layer with the error scaled by 1 / {@link ExternalErrorsGain}, so that
 * its parameter and input gradients are the true ones (DL4J's gradient check holds them to it),
 * and with the {@link DropoutMasks} of layers that have them set before each forward pass.
 */
final class CorrectedSameDiffLayer extends SameDiffLayer {
  /** Whether the graph holds training masks: its variables start as ones, which inference keeps. */
  private boolean trainingMasks;

  CorrectedSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (layerConf() instanceof DropoutMasks dropout && (training || trainingMasks)) {
      assertInputSet(false);
      // Masks live across the forward and the backward pass: outside DL4J's per-pass workspaces.
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        if (sameDiff == null) doInit();
        Map<String, INDArray> masks = dropout.dropoutMasks(input.shape(), training, input.dataType());
        // The gradient function is a copy of the graph made on the first backward pass: it holds its own arrays.
        SameDiff gradient = sameDiff.hasGradientFunction() ? sameDiff.getFunction("grad") : null;
        for (Map.Entry<String, INDArray> m : masks.entrySet()) {
          sameDiff.associateArrayWithVariable(m.getValue(), m.getKey());
          if (gradient != null) gradient.associateArrayWithVariable(m.getValue(), m.getKey());
        }
        trainingMasks = training;
      }
    }
    return super.activate(training, workspaceMgr);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    double gain = ExternalErrorsGain.get();
    return super.backpropGradient(gain == 1.0 ? epsilon : epsilon.div(gain), workspaceMgr);
  }
}
