package ai.mesm.model.sparse;

import ai.mesm.model.FeatureCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MESM's N = 3 cross-modal sparse blocks after the dense stem (docs/computation.md#mesm: 64→128, 128→256,
 * 256→512, widths divided by the model's channel divisor), on one flat parameter vector.
 * Block 1 starts from every site of the stem's output; each block hands its pooled active sites
 * to the next.
 */
public final class SparseStack {
  private final long[][] channels; // per block {Cin, Cout}
  private final long queryDim;
  private final SparseBlock block;

  public SparseStack(int channelDivisor, long queryDim, double p, AttentionMode mode) {
    this.channels = blockChannels(channelDivisor);
    this.queryDim = queryDim;
    this.block = new SparseBlock(p, mode);
  }

  /** {Cin, Cout} of each sparse block: the VGG stages of {@link FeatureCnn} after the dense stem. */
  public static long[][] blockChannels(int channelDivisor) {
    List<FeatureCnn.Layer> layers = FeatureCnn.layers(channelDivisor);
    List<long[]> out = new ArrayList<>();
    long in = 0;
    for (int i = 0; i < layers.size(); i++) {
      FeatureCnn.Layer l = layers.get(i);
      if (l.isPool()) continue;
      // A sparse block starts at each convolution that opens a VGG stage after the stem.
      boolean opensBlock = i >= FeatureCnn.MESM_DENSE_LAYERS && (i == FeatureCnn.MESM_DENSE_LAYERS || layers.get(i - 1).isPool());
      if (opensBlock) out.add(new long[] {in, l.outChannels()});
      in = l.outChannels();
    }
    return out.toArray(long[][]::new);
  }

  public SparseBlock block() {
    return block;
  }

  public int blocks() {
    return channels.length;
  }

  public long outChannels() {
    return channels[channels.length - 1][1];
  }

  /** Parameter shapes of block {@code b} in flat order ({@link SparseBlockParams#NAMES}). */
  public long[][] blockShapes(int b) {
    return SparseBlockParams.shapes(channels[b][0], channels[b][1], queryDim);
  }

  public long parameterCount() {
    long n = 0;
    for (long[] c : channels) n += SparseBlockParams.count(c[0], c[1], queryDim);
    return n;
  }

  public SparseBlockParams params(INDArray flat, int blockIndex) {
    long offset = 0;
    for (int b = 0; b < blockIndex; b++) offset += SparseBlockParams.count(channels[b][0], channels[b][1], queryDim);
    return SparseBlockParams.view(flat, offset, channels[blockIndex][0], channels[blockIndex][1], queryDim);
  }

  /** Every block's parameters, as views of {@code flat}. */
  public List<SparseBlockParams> params(INDArray flat) {
    List<SparseBlockParams> out = new ArrayList<>(blocks());
    for (int b = 0; b < blocks(); b++) out.add(params(flat, b));
    return out;
  }

  /** He-normal convolutions (as the dense CNN), Xavier attention, BN γ = 1, β = 0, running mean 0, variance 1. */
  public void initialise(INDArray flat, long seed) {
    Random r = new Random(seed);
    for (int b = 0; b < blocks(); b++) {
      SparseBlockParams p = params(flat, b);
      long cin = channels[b][0];
      long cout = channels[b][1];
      fill(p.conv1(), r, Math.sqrt(2.0 / (9 * cin)));
      fill(p.conv2(), r, Math.sqrt(2.0 / (9 * cout)));
      fill(p.wx(), r, Math.sqrt(2.0 / (cin + cin)));
      fill(p.wq(), r, Math.sqrt(2.0 / (queryDim + cin)));
      fill(p.v(), r, Math.sqrt(2.0 / (cin + 1)));
      for (INDArray a : new INDArray[] {p.bx(), p.b(), p.beta1(), p.beta2(), p.mean1(), p.mean2()}) a.assign(0);
      for (INDArray a : new INDArray[] {p.gamma1(), p.gamma2(), p.var1(), p.var2()}) a.assign(1);
    }
  }

  private static void fill(INDArray a, Random r, double std) {
    double[] v = new double[(int) a.length()];
    for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() * std;
    a.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(v).castTo(a.dataType()).reshape(a.shape()));
  }

  /**
   * Inference's result: the last block's features on the dense [frames, C, H, W] grid (an ordinary
   * array), and each block's output whose sites and shapes stay valid but whose arrays do not: they
   * live in this thread's inference workspace, which the next {@link #infer} call reuses.
   */
  public record Inference(List<SparseBlock.Output> outputs, INDArray dense) {}

  // Intermediates reuse one block of native memory per thread: fresh allocations are paid in page
  // faults (about 1 ms per MB on this VM), tens of MB per call. Learns its size over the first
  // calls and grows when a larger batch spills, like DL4J's own inference workspaces.
  private static final WorkspaceConfiguration INFERENCE = reusedPerCall();
  private static final String INFERENCE_WORKSPACE = "MESM_SPARSE_INFERENCE";

  /** A workspace for a call's arrays, reused by the next call on the thread (its size learnt over the first calls). */
  public static WorkspaceConfiguration reusedPerCall() {
    return WorkspaceConfiguration.builder()
        .initialSize(0).overallocationLimit(0.2).policyAllocation(AllocationPolicy.OVERALLOCATE)
        .policyLearning(LearningPolicy.OVER_TIME).cyclesBeforeInitialization(2).policyReset(ResetPolicy.BLOCK_LEFT)
        .policySpill(SpillPolicy.REALLOCATE).build();
  }

  /** {@link #forward} in inference mode, with its intermediates in a reused per-thread workspace. */
  public Inference infer(INDArray stemOutput, INDArray query, INDArray flat) {
    return infer(stemOutput, query, params(flat));
  }

  /** {@link #infer(INDArray, INDArray, INDArray)} with each block's parameters given ({@link AlignedParams}). */
  public Inference infer(INDArray stemOutput, INDArray query, List<SparseBlockParams> params) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(INFERENCE, INFERENCE_WORKSPACE);
         PartRunner.Scope steps = PartRunner.awake()) {
      List<SparseBlock.Output> outs = forward(stemOutput, query, params, false);
      SparseBlock.Output last = outs.get(outs.size() - 1);
      return new Inference(outs, DenseGrid.dense(last.sites(), last.features()).detach());
    }
  }

  /** The blocks' outputs and traces; the last output's sites and features are the stack's output. */
  public List<SparseBlock.Output> forward(INDArray stemOutput, INDArray query, INDArray flat, boolean training) {
    return forward(stemOutput, query, params(flat), training);
  }

  private List<SparseBlock.Output> forward(INDArray stemOutput, INDArray query, List<SparseBlockParams> params,
                                           boolean training) {
    if (params.size() != blocks()) throw new IllegalArgumentException(blocks() + " blocks' parameters expected, got " + params.size());
    SparseSites sites = SparseSites.all((int) stemOutput.size(0), (int) stemOutput.size(2), (int) stemOutput.size(3));
    INDArray x = DenseGrid.rows(stemOutput);
    List<SparseBlock.Output> outs = new ArrayList<>();
    for (int b = 0; b < blocks(); b++) {
      SparseBlock.Output o = block.forward(sites, x, query, params.get(b), training);
      outs.add(o);
      sites = o.sites();
      x = o.features();
    }
    return outs;
  }
}
