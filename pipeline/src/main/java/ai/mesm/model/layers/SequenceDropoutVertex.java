package ai.mesm.model.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime of {@link SequenceDropout}: a fresh keep-mask per training forward pass, identity in inference. */
final class SequenceDropoutVertex extends ParameterlessVertex {
  private final double dropout;
  private INDArray scale;

  SequenceDropoutVertex(ComputationGraph graph, String name, int index, DataType dataType, double dropout) {
    super(graph, name, index, dataType);
    this.dropout = dropout;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = inputs[0];
    if (!training || dropout == 0) {
      scale = null;
      return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, x.dup());
    }
    double keep = 1 - dropout;
    // Kept values are scaled by 1/keep so that inference needs no rescaling (inverted dropout).
    // Outside any workspace: the backward pass, in another workspace scope, reuses it.
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      scale = Nd4j.rand(x.dataType(), x.shape()).lt(keep).castTo(x.dataType()).divi(keep);
    }
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, x.mul(scale));
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray grad = scale == null ? epsilon.dup() : epsilon.mul(scale);
    return new Pair<>(new DefaultGradient(), new INDArray[] {workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, grad)});
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    INDArray mask = maskArrays == null ? null : maskArrays[0];
    return new Pair<>(mask, mask == null ? currentMaskState : MaskState.Active);
  }

  @Override
  public String toString() {
    return "SequenceDropoutVertex(" + getVertexName() + ")";
  }
}
