package ai.mesm.model.sparse;

import java.lang.ref.Reference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One cross-modal sparse block of MESM (docs/computation.md#mesm): attention over the active sites with the text
 * CLS vector as query, nucleus mask, two submanifold 3×3 convolutions each with BatchNorm over the
 * active sites and ReLU, then a sparse 2×2 max-pool. Forward and backward written out, so that
 * the work follows the number of kept sites. Free of DL4J and Spark: a vertex wraps it.
 */
public final class SparseBlock {
  private final double p;
  private final AttentionMode mode;

  public SparseBlock(double p, AttentionMode mode) {
    if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + p);
    this.p = p;
    this.mode = mode;
  }

  /**
   * Everything the backward pass needs, plus what FLOPs accounting and attention maps read.
   * {@code tanhU} (the attention's hidden layer) only in a SCALED training pass, the one backward
   * pass that reads it; null otherwise.
   */
  public record Trace(SparseSites in, INDArray x, INDArray query, INDArray tanhU, double[] alpha, boolean[] kept,
                      int[] keptIndex, INDArray scale, INDArray xKept, SparseSites keptSites, Rulebook rules,
                      INDArray h1, SparseBatchNorm.Cache bn1, INDArray r1, INDArray h2, SparseBatchNorm.Cache bn2,
                      INDArray r2, SparseMaxPool.Plan pool, SparseMaxPool.Result pooled) {

    /**
     * Multiply-adds per frame: the attention scores over the frame's candidate sites (x·Wx and the
     * score vector) and the two convolutions over the real (kept site, active neighbour) pairs.
     */
    public double[] macsPerFrame() {
      long cin = x.size(1);
      long cout = h1.size(1);
      double[] macs = new double[in.frames()];
      for (int i = 0; i < in.size(); i++) macs[in.frame(i)] += cin * (cin + 1.0);
      int[] neighbours = rules.neighbours();
      for (int i = 0; i < keptSites.size(); i++) {
        int pairs = 0;
        for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) if (neighbours[i * SparseSites.KERNEL_OFFSETS + k] >= 0) pairs++;
        macs[keptSites.frame(i)] += pairs * (double) (cin * cout + cout * cout);
      }
      return macs;
    }

    /** Multiply-adds of the two convolutions, from the real (site, active neighbour) pairs. */
    public long convMacs() {
      long pairs = rules.pairs();
      return pairs * x.size(1) * h1.size(1) + pairs * h1.size(1) * h1.size(1);
    }
  }

  public record Output(SparseSites sites, INDArray features, Trace trace) {}

  /**
   * @param sites    active input sites
   * @param x        [n, Cin] features in site order
   * @param query    [frames, D]: the text CLS vector of each frame's utterance
   * @param training batch statistics (and running-average updates left to the caller) or running statistics
   */
  public Output forward(SparseSites sites, INDArray x, INDArray query, SparseBlockParams w, boolean training) {
    Attention att = attention(sites, x, query, w, training && mode == AttentionMode.SCALED);
    INDArray tanhU = att.tanhU();
    double[] scores = att.scores();
    double[] alpha = NucleusMask.softmaxPerFrame(scores, sites);
    boolean[] kept = NucleusMask.keep(alpha, sites, p);
    int[] keptIndex = SparseSites.indexOf(kept);
    SparseSites keptSites = sites.subset(keptIndex);

    INDArray xKept = Rows.gather(x, keptIndex);
    INDArray scale = null;
    if (mode == AttentionMode.SCALED && keptIndex.length > 0) {
      double[] s = new double[keptIndex.length];
      for (int j = 0; j < s.length; j++) {
        int f = sites.frame(keptIndex[j]);
        s[j] = alpha[keptIndex[j]] * (sites.frameStart(f + 1) - sites.frameStart(f));
      }
      scale = Nd4j.createFromArray(s).castTo(x.dataType()).reshape(s.length, 1);
      xKept = xKept.mulColumnVector(scale);
    }
    Rulebook rules = Rulebook.of(keptSites.neighbours()); // shared by both convolutions, forward and backward
    INDArray h1;
    INDArray r1;
    INDArray h2;
    INDArray r2;
    SparseBatchNorm.Cache bn1 = null;
    SparseBatchNorm.Cache bn2 = null;
    if (training) {
      h1 = SubmanifoldConv.forward(xKept, rules, w.conv1());
      SparseBatchNorm.Result b1 = normalise(h1, w.gamma1(), w.beta1());
      bn1 = b1.cache();
      r1 = Transforms.relu(b1.out(), false);
      h2 = SubmanifoldConv.forward(r1, rules, w.conv2());
      SparseBatchNorm.Result b2 = normalise(h2, w.gamma2(), w.beta2());
      bn2 = b2.cache();
      r2 = Transforms.relu(b2.out(), false);
    } else {
      // Inference: BatchNorm with the running statistics and ReLU, fused into the convolutions (in place: h = r).
      r1 = h1 = SubmanifoldConv.forwardNormalisedRelu(xKept, rules, w.conv1(), w.gamma1(), w.beta1(), w.mean1(), w.var1());
      r2 = h2 = SubmanifoldConv.forwardNormalisedRelu(r1, rules, w.conv2(), w.gamma2(), w.beta2(), w.mean2(), w.var2());
    }
    SparseMaxPool.Plan plan = keptSites.poolPlan();
    // Inference needs no argmax (it is for the backward pass).
    SparseMaxPool.Result pooled = training ? SparseMaxPool.forward(r2, plan)
        : new SparseMaxPool.Result(SparseMaxPool.forwardInference(r2, plan), null);
    Trace t = new Trace(sites, x, query, tanhU, alpha, kept, keptIndex, scale, xKept, keptSites, rules, h1, bn1,
        r1, h2, bn2, r2, plan, pooled);
    return new Output(plan.out(), pooled.out(), t);
  }

  /** Moves the running BatchNorm statistics toward this training pass's batch statistics (DL4J's decay convention). */
  public static void updateRunningStatistics(Trace t, SparseBlockParams w, double decay) {
    moveToward(t.bn1(), w.mean1(), w.var1(), decay);
    moveToward(t.bn2(), w.mean2(), w.var2(), decay);
  }

  private static void moveToward(SparseBatchNorm.Cache batch, INDArray mean, INDArray var, double decay) {
    if (batch == null) return; // no active site in this batch: nothing measured
    mean.muli(decay).addi(batch.mean().mul(1 - decay));
    var.muli(decay).addi(batch.variance().mul(1 - decay));
  }

  /** The attention's hidden layer (null unless asked for) and scores of every site. */
  record Attention(INDArray tanhU, double[] scores) {}

  /**
   * tanh(x·Wx + bx + q_f·Wq) per site ([n, Cin], kept for SCALED's backward) and the scores
   * s = tanh(·)·v + b: one GEMM for x·Wx, then each site's frame query term, the tanh and the
   * score in one pass over the rows, split over the cores ({@link #queryTermTanhAndScore}: ND4J
   * broadcast ops on per-frame views, its tanh and a second GEMM for the scores cost several
   * times more). {@code keepTanh}: return the hidden layer tanh(·) too (SCALED's backward needs it;
   * writing it back to native memory is skipped otherwise).
   */
  static Attention attention(SparseSites sites, INDArray x, INDArray query, SparseBlockParams w, boolean keepTanh) {
    int n = sites.size();
    int cin = (int) x.size(1);
    if (n == 0) return new Attention(Nd4j.create(x.dataType(), 0, cin), new double[0]);
    if (NativeKernels.appliesToAttention(x)) return attentionNative(sites, x, query, w, keepTanh);
    // Nd4j.gemm, not INDArray.mmul: ~1 ms per call on this [frames, D] · [D, Cin] product.
    INDArray perFrame = Nd4j.gemm(Rows.contiguous(query), w.wq().dup('c'), false, false);
    INDArray u = Nd4j.createUninitialized(x.dataType(), n, cin);
    double b = w.b().getDouble(0);
    if (x.dataType() == DataType.FLOAT) {
      Nd4j.gemm(Rows.contiguous(x), w.wx().dup('c'), u, false, false, 1.0, 0.0);
      float[] queryTerm = Rows.Source.of(perFrame).floats();
      float[] bx = w.bx().dup('c').data().asFloat();
      for (int i = 0; i < queryTerm.length; i++) queryTerm[i] += bx[i % cin];
      float[] v = w.v().dup('c').data().asFloat();
      double[] scores = queryTermTanhAndScore(u, queryTerm, v, b, sites, keepTanh);
      return new Attention(keepTanh ? u : null, scores);
    }
    // DOUBLE (gradient checks): the query term first, the GEMM adds x·Wx onto it, ND4J's exact tanh.
    perFrame.addiRowVector(w.bx());
    int[] frameOf = new int[n];
    for (int i = 0; i < n; i++) frameOf[i] = sites.frame(i);
    Rows.gatherInto(Rows.Source.of(perFrame), frameOf, 0, n, u);
    Nd4j.gemm(Rows.contiguous(x), w.wx().dup('c'), u, false, false, 1.0, 1.0);
    Transforms.tanh(u, false);
    INDArray s = Nd4j.gemm(u, w.v().dup('c').reshape('c', cin, 1), false, false);
    double[] scores = s.data().asDouble();
    for (int i = 0; i < n; i++) scores[i] += b;
    return new Attention(keepTanh ? u : null, scores);
  }

  /** Fewer sites per part of the native attention would not pay for the part's dispatch. */
  private static final int ATTENTION_MIN_ROWS = 192;

  /**
   * The attention in one native pass per part of the sites ({@code mesm_attention.h}): the frames'
   * query terms (query·Wq + bx), x·Wx, tanh and the score, without writing the hidden layer unless
   * {@code keepTanh}. Training and inference both come here, so both keep the same sites.
   */
  private static Attention attentionNative(SparseSites sites, INDArray x, INDArray query, SparseBlockParams w,
                                           boolean keepTanh) {
    int n = sites.size();
    int cin = (int) x.size(1);
    int d = (int) query.size(1);
    // The kernel reads query rows by frame: a shorter query would be read past its end.
    if (query.rank() != 2 || query.size(0) < sites.frames() || d != w.wq().size(0)) {
      throw new IllegalArgumentException("the attention's query must be [frames, " + w.wq().size(0) + "] for "
          + sites.frames() + " frames, got " + java.util.Arrays.toString(query.shape()));
    }
    INDArray[] in = {NativeArrays.readable(x), NativeArrays.readable(w.wx()), NativeArrays.readable(query),
        NativeArrays.readable(w.wq()), NativeArrays.readable(w.bx()), NativeArrays.readable(w.v())};
    long[] at = new long[in.length];
    for (int i = 0; i < in.length; i++) at[i] = NativeArrays.address(in[i]);
    INDArray scores = Nd4j.createUninitialized(DataType.FLOAT, n);
    INDArray hidden = keepTanh ? Nd4j.createUninitialized(DataType.FLOAT, n, cin) : null;
    long sa = NativeArrays.address(scores);
    long ha = hidden == null ? 0 : NativeArrays.address(hidden);
    float b = w.b().getFloat(0);
    int[] starts = sites.frameStarts();
    Rows.inParts(n, ATTENTION_MIN_ROWS, (from, to) -> NativeKernels.attentionScores(at[0], cin, at[1], at[2], d, at[3],
        at[4], starts, sites.frames(), at[5], b, from, to, sa, ha));
    Reference.reachabilityFence(in);
    float[] s = scores.data().asFloat();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = s[i];
    return new Attention(hidden, out);
  }

  /** Rows per step of {@link #queryTermTanhAndScore}: its heap copy stays in cache. */
  private static final int TANH_ROWS = 512;

  /**
   * {@code tanh(u[i] + perFrame[frame(i)])} for a FLOAT [n, C] u (c-order, offset 0), a block of
   * rows at a time on each core, written back into u only if {@code keep}; returns the scores
   * {@code tanh(·)·v + b}.
   */
  private static double[] queryTermTanhAndScore(INDArray u, float[] perFrame, float[] v, double b, SparseSites sites,
                                                boolean keep) {
    int n = (int) u.size(0);
    int c = (int) u.size(1);
    double[] scores = new double[n];
    Rows.inHeldBlocks(u, TANH_ROWS, Rows.Slot.TANH, keep, (rows, from, count) -> {
      for (int r = 0; r < count; r++) {
        int q = sites.frame(from + r) * c;
        int o = r * c;
        for (int k = 0; k < c; k++) rows[o + k] += perFrame[q + k];
      }
      FastTanh.inPlace(rows, 0, count * c);
      for (int r = 0; r < count; r++) scores[from + r] = dot(rows, r * c, v, c) + b;
    });
    return scores;
  }

  /** {@code a[from..from + c) · v}, in four running sums so that the additions overlap. */
  private static double dot(float[] a, int from, float[] v, int c) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int k = 0;
    for (; k + 3 < c; k += 4) {
      s0 += a[from + k] * v[k];
      s1 += a[from + k + 1] * v[k + 1];
      s2 += a[from + k + 2] * v[k + 2];
      s3 += a[from + k + 3] * v[k + 3];
    }
    for (; k < c; k++) s0 += a[from + k] * v[k];
    return (s0 + s1) + (s2 + s3);
  }

  /** Training BatchNorm with the batch's statistics; none without rows. */
  private static SparseBatchNorm.Result normalise(INDArray h, INDArray gamma, INDArray beta) {
    if (h.size(0) == 0) return new SparseBatchNorm.Result(h, null);
    return SparseBatchNorm.train(h, gamma, beta);
  }

  /**
   * Gradients of a training forward pass: writes parameter gradients into {@code grads} (same
   * layout as the parameters; the running statistics' slots are left to the caller) and returns
   * {dX [n, Cin], dQuery [frames, D]}.
   */
  public INDArray[] backward(Trace t, INDArray dOut, SparseBlockParams w, SparseBlockParams grads) {
    int frames = t.in().frames();
    for (INDArray g : grads.all()) g.assign(0);
    long cin = t.x().size(1);
    INDArray dQuery = Nd4j.zeros(t.x().dataType(), frames, w.wq().size(0));
    if (t.keptIndex().length == 0) return new INDArray[] {Nd4j.zeros(t.x().dataType(), t.x().size(0), cin), dQuery};

    INDArray dR2 = SparseMaxPool.backward(dOut, t.pooled(), t.pool(), t.r2().size(0));
    INDArray dB2 = dR2.muli(t.r2().gt(0).castTo(dR2.dataType()));
    INDArray[] bn2 = SparseBatchNorm.backward(dB2, t.bn2(), w.gamma2());
    grads.gamma2().assign(bn2[1]);
    grads.beta2().assign(bn2[2]);
    INDArray[] c2 = SubmanifoldConv.backward(t.r1(), t.rules(), w.conv2(), bn2[0]);
    grads.conv2().assign(c2[1]);
    INDArray dB1 = c2[0].muli(t.r1().gt(0).castTo(c2[0].dataType()));
    INDArray[] bn1 = SparseBatchNorm.backward(dB1, t.bn1(), w.gamma1());
    grads.gamma1().assign(bn1[1]);
    grads.beta1().assign(bn1[2]);
    INDArray[] c1 = SubmanifoldConv.backward(t.xKept(), t.rules(), w.conv1(), bn1[0]);
    grads.conv1().assign(c1[1]);
    INDArray dXKept = c1[0];

    int n = t.in().size();
    int[] position = new int[n];
    java.util.Arrays.fill(position, -1);
    for (int j = 0; j < t.keptIndex().length; j++) position[t.keptIndex()[j]] = j;
    if (t.scale() == null) return new INDArray[] {Rows.gather(dXKept, position), dQuery};

    // SCALED: y_j = x_j · c_j with c_j = α_j·K_f. Direct path, then the attention path.
    INDArray dC = dXKept.mul(Rows.gather(t.x(), t.keptIndex())).sum(1); // [kept]
    INDArray dX = Rows.gather(dXKept.mulColumnVector(t.scale()), position);
    double[] dAlpha = new double[n];
    double[] dc = dC.toDoubleVector();
    for (int j = 0; j < dc.length; j++) {
      int i = t.keptIndex()[j];
      int f = t.in().frame(i);
      dAlpha[i] = dc[j] * (t.in().frameStart(f + 1) - t.in().frameStart(f)); // the mask itself is not differentiated
    }
    double[] dScore = new double[n];
    for (int f = 0; f < t.in().frames(); f++) {
      double dot = 0;
      for (int i = t.in().frameStart(f); i < t.in().frameStart(f + 1); i++) dot += t.alpha()[i] * dAlpha[i];
      for (int i = t.in().frameStart(f); i < t.in().frameStart(f + 1); i++) dScore[i] = t.alpha()[i] * (dAlpha[i] - dot);
    }
    INDArray dS = Nd4j.createFromArray(dScore).castTo(t.x().dataType()).reshape(n, 1);
    grads.v().assign(t.tanhU().transpose().mmul(dS));
    // b shifts every score of a frame equally: softmax removes it, its gradient is 0.
    INDArray dU = dS.mmul(w.v().transpose()).muli(t.tanhU().mul(t.tanhU()).rsubi(1.0));
    grads.wx().assign(t.x().transpose().mmul(dU));
    grads.bx().assign(dU.sum(true, 0));
    dX.addi(dU.mmul(w.wx().transpose()));
    // query·Wq served every site of its frame: sum each frame's rows back.
    INDArray dQW = Nd4j.zeros(t.x().dataType(), frames, cin);
    for (int f = 0; f < frames; f++) {
      int from = t.in().frameStart(f);
      int to = t.in().frameStart(f + 1);
      if (from < to) dQW.putRow(f, dU.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
          org.nd4j.linalg.indexing.NDArrayIndex.all()).sum(true, 0));
    }
    grads.wq().assign(t.query().transpose().mmul(dQW));
    return new INDArray[] {dX, dQW.mmul(w.wq().transpose())};
  }
}
