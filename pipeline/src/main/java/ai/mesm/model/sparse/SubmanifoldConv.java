package ai.mesm.model.sparse;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A submanifold 3×3 convolution (no bias: BatchNorm follows): outputs only at the active sites,
 * summing over active neighbours, so it equals "zero the inactive sites, dense 3×3 conv with
 * padding 1, keep the active sites" while its work is proportional to the number of active sites.
 *
 * <p>Gather + GEMM: the rows of each site's 9 neighbours (a zero row where a neighbour is
 * inactive) form an [n, 9·Cin] matrix multiplied by the [9·Cin, Cout] weights. It is built
 * {@link #CHUNK} sites at a time in a per-thread scratch buffer that is reused, because touching
 * freshly allocated memory (page faults) cost more here than the copies themselves. The input
 * gradient reuses the same rulebook: dX[i] = Σ_k dY[nbr(i, k)]·W_{8−k}ᵀ, because the neighbour of
 * i at offset k has i as its neighbour at the mirrored offset 8 − k. Weights are laid out as
 * [9·Cin, Cout], offset-major, offsets as {@link SparseSites#neighbours()}.
 */
public final class SubmanifoldConv {
  /** Sites per gather + GEMM step: large enough for an efficient GEMM, small enough to stay in cache-sized scratch. */
  static final int CHUNK = 4096;
  /**
   * Below this fraction of existing (site, neighbour) pairs the per-offset method wins; above it
   * the single GEMM over all 9 offsets (its zero rows cost less than 8 gathers and adds).
   */
  static final double BY_OFFSET_BELOW = 0.45;
  private static final int CENTRE = 4;
  private static final ThreadLocal<INDArray[]> SCRATCH = ThreadLocal.withInitial(() -> new INDArray[4]);

  private SubmanifoldConv() {}

  /** x: [n, Cin] in site order; weights: [9·Cin, Cout]; returns [n, Cout]. */
  public static INDArray forward(INDArray x, int[] neighbours, INDArray weights) {
    return multiply(x, neighbours, Rows.contiguous(weights));
  }

  /** The gradients of {@link #forward}: {dX [n, Cin], dW [9·Cin, Cout]}. */
  public static INDArray[] backward(INDArray x, int[] neighbours, INDArray weights, INDArray dOut) {
    int n = (int) x.size(0);
    INDArray dWeights = Nd4j.zeros(weights.dataType(), weights.shape());
    if (n == 0) return new INDArray[] {x.dup(), dWeights};
    INDArray dX = multiply(dOut, neighbours, mirrored(weights, x.size(1)));
    if (SparseSites.pairs(neighbours) < BY_OFFSET_BELOW * neighbours.length) {
      return new INDArray[] {dX, weightGradientByOffset(x, neighbours, dOut, dWeights)};
    }
    long width = SparseSites.KERNEL_OFFSETS * x.size(1);
    INDArray dOutC = Rows.contiguous(dOut);
    Rows.Source source = Rows.Source.reused(x, Rows.Slot.INPUT);
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      INDArray cols = columns(source, x.dataType(), neighbours, from, to, width);
      INDArray dOutRows = dOutC.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      Nd4j.gemm(cols, dOutRows, dWeights, true, false, 1.0, 1.0);
    }
    return new INDArray[] {dX, dWeights};
  }

  /** dW_k = Σ over the pairs (i, j) of offset k of x[j]ᵀ·dOut[i], written into the zeroed {@code dWeights}. */
  static INDArray weightGradientByOffset(INDArray x, int[] neighbours, INDArray dOut, INDArray dWeights) {
    int n = (int) x.size(0);
    int cin = (int) x.size(1);
    int cout = (int) dOut.size(1);
    DataType type = x.dataType();
    INDArray xc = Rows.contiguous(x);
    INDArray dc = Rows.contiguous(dOut);
    Nd4j.gemm(xc, dc, offsetBlock(dWeights, CENTRE, cin), true, false, 1.0, 0.0);
    Rows.Source xs = Rows.Source.reused(xc, Rows.Slot.INPUT);
    Rows.Source ds = Rows.Source.reused(dc, Rows.Slot.SECOND);
    int[] targets = new int[n];
    int[] sources = new int[n];
    for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) {
      int m = k == CENTRE ? 0 : pairsAt(neighbours, n, k, targets, sources);
      if (m == 0) continue;
      INDArray xRows = gathered(xs, sources, m, type, 0);
      INDArray dRows = gathered(ds, targets, m, type, 2);
      Nd4j.gemm(xRows, dRows, offsetBlock(dWeights, k, cin), true, false, 1.0, 0.0);
    }
    return dWeights;
  }

  /** Rows {@code index[0..m)} of {@code source} as [m, C] in the thread's scratch {@code slot}. */
  private static INDArray gathered(Rows.Source source, int[] index, int m, DataType type, int slot) {
    INDArray rows = scratch(type, slot, (long) m * source.channels()).reshape('c', m, source.channels());
    Rows.gatherInto(source, index, 0, m, rows);
    return rows;
  }

  /** The pairs of offset k: sites i (targets) whose neighbour j (sources) exists, in site order; returns their count. */
  private static int pairsAt(int[] neighbours, int n, int k, int[] targets, int[] sources) {
    int m = 0;
    for (int i = 0; i < n; i++) {
      int j = neighbours[i * SparseSites.KERNEL_OFFSETS + k];
      if (j >= 0) {
        targets[m] = i;
        sources[m++] = j;
      }
    }
    return m;
  }

  /**
   * Σ over each site's 9 neighbours of their rows times the matching block of {@code kernel}, by
   * whichever of the two exact methods does less work for this rulebook.
   */
  private static INDArray multiply(INDArray rows, int[] neighbours, INDArray kernel) {
    long pairs = SparseSites.pairs(neighbours);
    return pairs < BY_OFFSET_BELOW * neighbours.length ? multiplyByOffset(rows, neighbours, kernel)
        : multiplyAllOffsets(rows, neighbours, kernel);
  }

  /**
   * Per offset, only the (site, neighbour) pairs that exist: gather the neighbours' rows, one
   * GEMM with that offset's weights, add the products into the sites' output rows. Work is the
   * real pairs × Cin × Cout, which is what the FLOPs count. The centre offset needs no gather
   * (every site is its own centre).
   */
  static INDArray multiplyByOffset(INDArray rows, int[] neighbours, INDArray kernel) {
    int n = (int) rows.size(0);
    int cin = (int) rows.size(1);
    int cout = (int) kernel.size(1);
    DataType type = rows.dataType();
    INDArray out = Nd4j.createUninitialized(type, n, cout);
    if (n == 0) return out;
    INDArray x = Rows.contiguous(rows);
    Nd4j.gemm(x, offsetBlock(kernel, CENTRE, cin), out, false, false, 1.0, 0.0);
    Rows.Accumulator sum = Rows.Accumulator.of(out);
    Rows.Source source = Rows.Source.reused(x, Rows.Slot.INPUT);
    int[] targets = new int[n];
    int[] sources = new int[n];
    for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) {
      int m = k == CENTRE ? 0 : pairsAt(neighbours, n, k, targets, sources);
      if (m == 0) continue;
      INDArray products = scratch(type, 2, (long) m * cout).reshape('c', m, cout);
      Nd4j.gemm(gathered(source, sources, m, type, 0), offsetBlock(kernel, k, cin), products, false, false, 1.0, 0.0);
      sum.addRows(products, targets, m);
    }
    return sum.writeTo(out);
  }

  /** Rows [k·Cin, (k+1)·Cin) of a c-order [9·Cin, Cout] kernel: a contiguous view. */
  private static INDArray offsetBlock(INDArray kernel, int k, int cin) {
    return kernel.get(NDArrayIndex.interval((long) k * cin, (long) (k + 1) * cin), NDArrayIndex.all());
  }

  /** All 9 offsets of every site in one GEMM (zero rows for missing neighbours): better when few are missing. */
  static INDArray multiplyAllOffsets(INDArray rows, int[] neighbours, INDArray kernel) {
    int n = (int) rows.size(0);
    INDArray out = Nd4j.createUninitialized(rows.dataType(), n, kernel.size(1));
    if (n == 0) return out;
    long width = SparseSites.KERNEL_OFFSETS * rows.size(1);
    Rows.Source source = Rows.Source.reused(rows, Rows.Slot.INPUT);
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      INDArray cols = columns(source, rows.dataType(), neighbours, from, to, width);
      INDArray target = out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      // Nd4j.gemm goes straight to BLAS: INDArray.mmul took ~10x longer on these shapes.
      Nd4j.gemm(cols, kernel, target, false, false, 1.0, 0.0);
    }
    return out;
  }

  /** Sites [from, to) as [to − from, 9·C] neighbour rows, in the thread's scratch buffer (valid until the next call). */
  private static INDArray columns(Rows.Source source, DataType type, int[] neighbours, int from, int to, long width) {
    INDArray cols = scratch(type, 0, (long) CHUNK * width).get(NDArrayIndex.interval(0, (long) (to - from) * width))
        .reshape('c', to - from, width);
    Rows.gatherInto(source, neighbours, from * SparseSites.KERNEL_OFFSETS, to * SparseSites.KERNEL_OFFSETS,
        cols.reshape('c', (long) (to - from) * SparseSites.KERNEL_OFFSETS, source.channels()));
    return cols;
  }

  /**
   * The thread's reusable buffer {@code slot} (0 or 2; +1 for DOUBLE) with at least {@code need}
   * elements, as a flat view of exactly {@code need}: valid until the next call for that slot.
   */
  private static INDArray scratch(DataType type, int slot, long need) {
    INDArray[] holder = SCRATCH.get();
    int i = slot + (type == DataType.DOUBLE ? 1 : 0);
    if (holder[i] == null || holder[i].length() < need) {
      holder[i] = Nd4j.createUninitializedDetached(type, Math.max(need, holder[i] == null ? 0 : 2 * holder[i].length()));
    }
    return holder[i].get(NDArrayIndex.interval(0, need));
  }

  /** [9·Cout, Cin] with block k = W_{8−k}ᵀ. */
  private static INDArray mirrored(INDArray parameterView, long inChannels) {
    // A copy: indexing into a reshaped view of the flat parameter vector misbehaves in ND4J M2.1.
    INDArray weights = parameterView.dup('c');
    INDArray[] blocks = new INDArray[SparseSites.KERNEL_OFFSETS];
    for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) {
      int m = SparseSites.KERNEL_OFFSETS - 1 - k;
      blocks[k] = weights.get(NDArrayIndex.interval(m * inChannels, (m + 1) * inChannels), NDArrayIndex.all()).transpose();
    }
    return Nd4j.concat(0, blocks).dup('c');
  }
}
