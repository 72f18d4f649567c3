package ai.mesm.model.layers;

import ai.mesm.model.Modality;
import ai.mesm.model.SiteActivity;
import ai.mesm.model.sparse.AlignedParams;
import ai.mesm.model.sparse.DenseGrid;
import ai.mesm.model.sparse.SparseBlock;
import ai.mesm.model.sparse.SparseBlockParams;
import ai.mesm.model.sparse.SparseSites;
import ai.mesm.model.sparse.SparseStack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * Runtime of {@link MesmSparse}. The blocks' traces are kept outside DL4J's workspaces between
 * the forward and the backward pass (workspaces are reset in between). BatchNorm running
 * statistics move in each training forward pass with DL4J's decay (0.9); their gradient is 0
 * and their updater a no-op.
 */
public final class MesmSparseVertex extends TrainableVertex<MesmSparse> {
  static final double BN_DECAY = 0.9;
  private final SparseStack stack;
  /** The parameters a frozen graph predicts with, 64-byte aligned ({@link #freeze}); null while the graph trains. */
  private List<SparseBlockParams> frozen;
  private INDArray sequenceMask;
  private int[] utteranceOfFrame;
  private List<SparseBlock.Output> last;
  private long lastFrames;

  MesmSparseVertex(MesmSparse config, ComputationGraph graph, String name, int index, INDArray paramsView,
                   boolean initializeParams, DataType dataType) {
    super(config, graph, name, index, paramsView, dataType);
    this.stack = config.stack();
    if (initializeParams) stack.initialise(paramsView, graph.getConfiguration().getDefaultConfiguration().getSeed());
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    INDArray frames = inputs[0];
    INDArray sequence = inputs[2];
    int[] rows = SequenceRows.realRows(sequenceMask, sequence.size(0), sequence.size(2), getVertexName());
    if (rows.length != frames.size(0)) {
      throw new IllegalStateException(getVertexName() + ": " + frames.size(0) + " frames but " + rows.length
          + " unmasked steps in the sequence");
    }
    utteranceOfFrame = new int[rows.length];
    for (int i = 0; i < rows.length; i++) utteranceOfFrame[i] = (int) (rows[i] / sequence.size(2));
    INDArray out;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray query = Nd4j.pullRows(inputs[1], 1, utteranceOfFrame);
      lastFrames = frames.size(0);
      if (training) {
        if (frozen != null) throw new IllegalStateException(getVertexName() + " is frozen: it only predicts");
        last = stack.forward(frames, query, params, true); // copies what it keeps (DenseGrid.rows)
        for (int b = 0; b < last.size(); b++) SparseBlock.updateRunningStatistics(last.get(b).trace(), stack.params(params, b), BN_DECAY);
        SparseBlock.Output o = last.get(last.size() - 1);
        out = DenseGrid.dense(o.sites(), o.features());
      } else {
        SparseStack.Inference result = frozen != null ? stack.infer(frames, query, frozen) : stack.infer(frames, query, params);
        last = result.outputs();
        out = result.dense();
      }
    }
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    INDArray dFrames;
    INDArray dQuery;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      SparseSites outSites = last.get(last.size() - 1).sites();
      int[] grid = new int[outSites.size()];
      for (int i = 0; i < grid.length; i++) grid[i] = outSites.gridIndex(i);
      INDArray dOut = grid.length == 0 ? Nd4j.create(epsilon.dataType(), 0, epsilon.size(1))
          : Nd4j.pullRows(DenseGrid.rows(epsilon), 1, grid);
      INDArray perFrameQuery = Nd4j.zeros(epsilon.dataType(), lastFrames, config.getQueryDim());
      for (int b = last.size() - 1; b >= 0; b--) {
        INDArray[] d = stack.block().backward(last.get(b).trace(), dOut, stack.params(params, b), stack.params(gradients, b));
        dOut = d[0];
        perFrameQuery.addi(d[1]);
      }
      SparseSites first = last.get(0).trace().in();
      dFrames = DenseGrid.dense(first, dOut);
      // Each utterance's query served all its frames: sum their gradients.
      INDArray oneHot = Nd4j.zeros(epsilon.dataType(), inputs[1].size(0), lastFrames);
      for (int i = 0; i < utteranceOfFrame.length; i++) oneHot.putScalar(utteranceOfFrame[i], i, 1.0);
      dQuery = oneHot.mmul(perFrameQuery);
    }
    Gradient g = new DefaultGradient(gradients);
    for (Map.Entry<String, INDArray> e : paramTable(gradients).entrySet()) g.gradientForVariable().put(e.getKey(), e.getValue());
    return new Pair<>(g, new INDArray[] {
        workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dFrames),
        workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dQuery),
        workspaceMgr.create(ArrayType.ACTIVATION_GRAD, inputs[2].dataType(), inputs[2].shape())});
  }

  /**
   * Predicts from now on with an aligned copy of the current parameters ({@link AlignedParams}):
   * for a graph whose parameters no longer change ({@link ai.mesm.model.InferenceGraph}). A
   * training pass after this is refused: it would update the parameters the copy no longer follows.
   */
  public void freeze() {
    frozen = AlignedParams.copy(stack.params(params));
  }

  /**
   * What the last forward pass kept and computed, for FLOPs accounting and attention maps. After
   * an inference pass only the sites and array shapes are valid: the arrays' memory is reused.
   */
  public List<SparseBlock.Output> lastOutputs() {
    return last;
  }

  /** The utterance (row of the minibatch) of each frame the last forward pass took, in frame order. */
  public int[] lastUtteranceOfFrame() {
    return utteranceOfFrame.clone();
  }

  /** The sparse blocks' multiply-adds of the last forward pass, per utterance of its minibatch. */
  public double[] lastMacsPerUtterance(int utterances) {
    double[] out = new double[utterances];
    for (SparseBlock.Output o : last) {
      double[] perFrame = o.trace().macsPerFrame();
      for (int f = 0; f < perFrame.length; f++) out[utteranceOfFrame[f]] += perFrame[f];
    }
    return out;
  }

  /** Adds, per block, the sites its mask kept in the last forward pass and the size of its grid. */
  public void addActivity(Modality modality, SiteActivity activity) {
    for (int b = 0; b < last.size(); b++) {
      SparseSites in = last.get(b).trace().in();
      activity.add(modality, b, last.get(b).trace().keptSites().size(), (long) in.frames() * in.height() * in.width());
    }
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    sequenceMask = maskArrays == null ? null : maskArrays[2];
    return new Pair<>(null, currentMaskState);
  }

  private Map<String, INDArray> paramTable(INDArray flat) {
    Map<String, INDArray> table = new LinkedHashMap<>();
    for (int b = 0; b < stack.blocks(); b++) {
      INDArray[] p = stack.params(flat, b).all();
      for (int i = 0; i < p.length; i++) table.put(MesmSparse.name(b, i), p[i]);
    }
    return table;
  }

  @Override
  public Map<String, INDArray> paramTable(boolean backpropOnly) {
    return paramTable(params);
  }

  @Override
  public String toString() {
    return "MesmSparseVertex(" + getVertexName() + ")";
  }
}
