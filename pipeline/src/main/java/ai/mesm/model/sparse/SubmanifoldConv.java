package ai.mesm.model.sparse;

import java.lang.ref.Reference;
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
 *
 * <p>Where {@link NativeKernels} applies (FLOAT arrays, the library built and loaded), its kernel
 * replaces the gather + GEMM methods for the forward pass, the input gradient and the weight
 * gradient: it multiplies each real (site, neighbour) pair in vector registers without copies.
 */
public final class SubmanifoldConv {
  /** Sites per gather + GEMM step: large enough for an efficient GEMM, small enough to stay in cache-sized scratch. */
  static final int CHUNK = 4096;
  private static final int CENTRE = OffsetPairs.CENTRE;
  /**
   * Output values per accumulation range of the per-offset method (4 MB of floats): the rows that
   * the 8 offsets add into stay in cache between offsets. 1 MB ranges and a single range (the
   * whole output, as before) were both 5–10 % slower at 128 → 128.
   */
  static final int ACCUMULATE_VALUES = 1 << 20;
  /** Fewer sites per part and the native kernel is split by output channels instead (each part would read all weights). */
  static final int NATIVE_MIN_SITES = 256;
  /** Output channels per part when the native kernel is split by channels: a multiple of its tiles' widths (64, 32, 16). */
  static final int NATIVE_PANEL = 64;
  private static final ThreadLocal<INDArray[]> SCRATCH = ThreadLocal.withInitial(() -> new INDArray[4]);

  private SubmanifoldConv() {}

  /** x: [n, Cin] in site order; weights: [9·Cin, Cout]; returns [n, Cout]. */
  public static INDArray forward(INDArray x, Rulebook rules, INDArray weights) {
    return multiply(x, rules, weights);
  }

  /** The gradients of {@link #forward}: {dX [n, Cin], dW [9·Cin, Cout]}. */
  public static INDArray[] backward(INDArray x, Rulebook rules, INDArray weights, INDArray dOut) {
    int n = (int) x.size(0);
    if (n == 0) return new INDArray[] {x.dup(), Nd4j.zeros(weights.dataType(), weights.shape())};
    INDArray dX = multiply(dOut, rules, mirrored(weights, x.size(1)));
    if (NativeKernels.appliesToGradient(x, x.size(1)) && dOut.dataType() == DataType.FLOAT) {
      return new INDArray[] {dX, weightGradientNative(x, rules, dOut)};
    }
    INDArray dWeights = Nd4j.zeros(weights.dataType(), weights.shape());
    if (byOffset(rules, x.size(1), dOut.size(1))) {
      return new INDArray[] {dX, weightGradientByOffset(x, rules, dOut, dWeights)};
    }
    long width = SparseSites.KERNEL_OFFSETS * x.size(1);
    INDArray dOutC = Rows.contiguous(dOut);
    Rows.Source source = Rows.Source.reused(x, Rows.Slot.INPUT);
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      INDArray cols = columns(source, x.dataType(), rules.neighbours(), from, to, width);
      INDArray dOutRows = dOutC.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      Nd4j.gemm(cols, dOutRows, dWeights, true, false, 1.0, 1.0);
    }
    return new INDArray[] {dX, dWeights};
  }

  /** dW_k = Σ over the pairs (i, j) of offset k of x[j]ᵀ·dOut[i], written into the zeroed {@code dWeights}. */
  static INDArray weightGradientByOffset(INDArray x, Rulebook rules, INDArray dOut, INDArray dWeights) {
    int cin = (int) x.size(1);
    DataType type = x.dataType();
    INDArray xc = Rows.contiguous(x);
    INDArray dc = Rows.contiguous(dOut);
    Nd4j.gemm(xc, dc, offsetBlock(dWeights, CENTRE, cin), true, false, 1.0, 0.0);
    Rows.Source xs = Rows.Source.reused(xc, Rows.Slot.INPUT);
    Rows.Source ds = Rows.Source.reused(dc, Rows.Slot.SECOND);
    OffsetPairs pairs = rules.byOffset();
    for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) {
      int lo = pairs.start()[k];
      int hi = pairs.start()[k + 1];
      if (lo == hi) continue;
      INDArray xRows = gathered(xs, pairs.sources(), lo, hi, type, 0);
      INDArray dRows = gathered(ds, pairs.targets(), lo, hi, type, 2);
      Nd4j.gemm(xRows, dRows, offsetBlock(dWeights, k, cin), true, false, 1.0, 0.0);
    }
    return dWeights;
  }

  /** dW by the native kernel, split over the cores by blocks of input channels (each part owns its rows of dW). */
  static INDArray weightGradientNative(INDArray x, Rulebook rules, INDArray dOut) {
    int n = (int) x.size(0);
    int cin = (int) x.size(1);
    int cout = (int) dOut.size(1);
    INDArray dW = Nd4j.createUninitialized(DataType.FLOAT, (long) SparseSites.KERNEL_OFFSETS * cin, cout);
    INDArray xc = NativeArrays.readable(x);
    INDArray dc = NativeArrays.readable(dOut);
    int[] neighbours = rules.neighbours();
    int level = NativeKernels.activeLevel();
    int block = NativeKernels.gradientBlock();
    long xa = NativeArrays.address(xc);
    long da = NativeArrays.address(dc);
    long wa = NativeArrays.address(dW);
    Rows.inParts(cin / block, 1, (from, to) -> NativeKernels.weightGradient(level, xa, cin, da, cout, neighbours, n,
        from * block, to * block, wa));
    Reference.reachabilityFence(xc);
    Reference.reachabilityFence(dc);
    return dW;
  }

  /** Rows {@code index[lo..hi)} of {@code source} as [hi − lo, C] in the thread's scratch {@code slot}. */
  private static INDArray gathered(Rows.Source source, int[] index, int lo, int hi, DataType type, int slot) {
    INDArray rows = scratchMatrix(type, slot, hi - lo, source.channels(), 0);
    Rows.gatherInto(source, index, lo, hi, rows);
    return rows;
  }

  /**
   * Σ over each site's 9 neighbours of their rows times the matching block of {@code kernel}: the
   * native kernel where it applies, else whichever of the two Java methods does less work for
   * this rulebook.
   */
  private static INDArray multiply(INDArray rows, Rulebook rules, INDArray kernel) {
    if (NativeKernels.appliesTo(rows, rows.size(1))) return multiplyNative(rows, rules, kernel);
    INDArray k = Rows.contiguous(kernel);
    return byOffset(rules, rows.size(1), k.size(1)) ? multiplyByOffset(rows, rules, k) : multiplyAllOffsets(rows, rules, k);
  }

  /** The native kernel (FLOAT rows; see {@link #multiplyNative(INDArray, Rulebook, INDArray, float[][])}). */
  static INDArray multiplyNative(INDArray rows, Rulebook rules, INDArray kernel) {
    return multiplyNative(rows, rules, kernel, null);
  }

  /**
   * Inference: relu(BatchNorm(forward(x))) with the running statistics. The native kernel applies
   * the norm (as a per-channel affine map) and the ReLU while each block of output rows is still
   * in cache; elsewhere the two steps run in turn.
   */
  public static INDArray forwardNormalisedRelu(INDArray x, Rulebook rules, INDArray weights, INDArray gamma,
                                               INDArray beta, INDArray mean, INDArray variance) {
    if (NativeKernels.appliesTo(x, x.size(1)) && x.size(0) > 0) {
      return multiplyNative(x, rules, weights, SparseBatchNorm.inferenceAffine(gamma, beta, mean, variance));
    }
    INDArray h = forward(x, rules, weights);
    return h.size(0) == 0 ? h : SparseBatchNorm.inferRelu(h, gamma, beta, mean, variance);
  }

  /**
   * The native kernel over the rulebook's neighbour table, split over the cores by sites, or by
   * output channels (panels of {@link #NATIVE_PANEL}) when there are too few sites: then each part
   * reads only its columns of the weights, which dominate (block 3: ~100 sites against up to
   * 9.4 MB of weights). {@code affine}: inference BatchNorm {scale, shift} to apply with a ReLU, or null.
   */
  private static INDArray multiplyNative(INDArray rows, Rulebook rules, INDArray kernel, float[][] affine) {
    float[] scale = affine == null ? null : affine[0];
    float[] shift = affine == null ? null : affine[1];
    int n = (int) rows.size(0);
    int cin = (int) rows.size(1);
    int cout = (int) kernel.size(1);
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, cout);
    if (n == 0) return out;
    INDArray x = NativeArrays.readable(rows);
    INDArray w = NativeArrays.readable(kernel);
    int[] neighbours = rules.neighbours();
    int level = NativeKernels.activeLevel();
    long xa = NativeArrays.address(x);
    long wa = NativeArrays.address(w);
    long ya = NativeArrays.address(out);
    if (n >= 2 * NATIVE_MIN_SITES) {
      Rows.inParts(n, NATIVE_MIN_SITES, (from, to) -> NativeKernels.convolve(level, xa, cin, neighbours, from, to, 0,
          cout, wa, cout, ya, scale, shift));
    } else {
      int panels = (cout + NATIVE_PANEL - 1) / NATIVE_PANEL;
      Rows.inParts(panels, 1, (from, to) -> NativeKernels.convolve(level, xa, cin, neighbours, 0, n,
          from * NATIVE_PANEL, Math.min(cout, to * NATIVE_PANEL), wa, cout, ya, scale, shift));
    }
    Reference.reachabilityFence(x);
    Reference.reachabilityFence(w);
    return out;
  }

  /** Whether the per-offset method does this Cin → Cout product faster: fewer existing pairs than {@link #byOffsetBelow}. */
  static boolean byOffset(Rulebook rules, long cin, long cout) {
    return rules.pairFraction() < byOffsetBelow(cin, cout);
  }

  /**
   * The fraction of existing (site, neighbour) pairs below which the per-offset method wins over
   * the single GEMM across all 9 offsets, whose zero rows cost less than 8 gathers and adds when
   * few are missing. Crossovers measured on both methods side by side (random masks, the CNN's
   * grids and widths): 0.33, 0.45 and 0.38 where the layer widens (64 → 128, 128 → 256, 256 → 512:
   * each pair's add moves Cout values, twice the Cin its gather moves), 0.45 at 128 → 128, 0.6–0.7
   * at 256 → 256 and 512 → 512, where the GEMM's share of the work grows with Cin·Cout and the
   * per-pair copies shrink against it.
   */
  static double byOffsetBelow(long cin, long cout) {
    if (cout > cin) return 0.38;
    return cin >= 256 ? 0.6 : 0.45;
  }

  /**
   * Per offset, only the (site, neighbour) pairs that exist: gather the neighbours' rows, one
   * GEMM with that offset's weights, add the products into the sites' output rows. Work is the
   * real pairs × Cin × Cout, which is what the FLOPs count. The centre offset needs no gather
   * (every site is its own centre). The adds go range by range of sites
   * ({@link #ACCUMULATE_VALUES}), all 8 offsets per range, so the rows they add into stay in cache.
   */
  static INDArray multiplyByOffset(INDArray rows, Rulebook rules, INDArray kernel) {
    int n = (int) rows.size(0);
    int cin = (int) rows.size(1);
    int cout = (int) kernel.size(1);
    DataType type = rows.dataType();
    INDArray out = Nd4j.createUninitialized(type, n, cout);
    if (n == 0) return out;
    INDArray x = Rows.contiguous(rows);
    Nd4j.gemm(x, offsetBlock(kernel, CENTRE, cin), out, false, false, 1.0, 0.0);
    OffsetPairs pairs = rules.byOffset();
    Rows.Source source = Rows.Source.reused(x, Rows.Slot.INPUT);
    int[] next = pairs.start().clone();
    int range = Math.max(1, ACCUMULATE_VALUES / cout);
    for (int from = 0; from < n; from += range) {
      int to = Math.min(n, from + range);
      Rows.Accumulator sum = Rows.Accumulator.of(out, from, to);
      for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) {
        int lo = next[k];
        int hi = pairs.firstAtOrAfter(k, lo, to);
        next[k] = hi;
        if (lo == hi) continue;
        INDArray products = scratchMatrix(type, 2, hi - lo, cout, 0);
        Nd4j.gemm(gathered(source, pairs.sources(), lo, hi, type, 0), offsetBlock(kernel, k, cin), products, false, false,
            1.0, 0.0);
        sum.addRows(products, pairs.targets(), lo, hi);
      }
      sum.writeTo(out);
    }
    return out;
  }

  /** Rows [k·Cin, (k+1)·Cin) of a c-order [9·Cin, Cout] kernel: a contiguous view. */
  private static INDArray offsetBlock(INDArray kernel, int k, int cin) {
    return kernel.get(NDArrayIndex.interval((long) k * cin, (long) (k + 1) * cin), NDArrayIndex.all());
  }

  /** All 9 offsets of every site in one GEMM (zero rows for missing neighbours): better when few are missing. */
  static INDArray multiplyAllOffsets(INDArray rows, Rulebook rules, INDArray kernel) {
    int n = (int) rows.size(0);
    INDArray out = Nd4j.createUninitialized(rows.dataType(), n, kernel.size(1));
    if (n == 0) return out;
    long width = SparseSites.KERNEL_OFFSETS * rows.size(1);
    Rows.Source source = Rows.Source.reused(rows, Rows.Slot.INPUT);
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      INDArray cols = columns(source, rows.dataType(), rules.neighbours(), from, to, width);
      INDArray target = out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      // Nd4j.gemm writes into the given view (ND4J runs it as oneDNN's matmul): INDArray.mmul took ~10x longer here.
      Nd4j.gemm(cols, kernel, target, false, false, 1.0, 0.0);
    }
    return out;
  }

  /** Sites [from, to) as [to − from, 9·C] neighbour rows, in the thread's scratch buffer (valid until the next call). */
  private static INDArray columns(Rows.Source source, DataType type, int[] neighbours, int from, int to, long width) {
    INDArray cols = scratchMatrix(type, 0, to - from, width, (long) CHUNK * width);
    // The gather writes whole rows of C from the view's start on, whatever the view's shape.
    Rows.gatherInto(source, neighbours, from * SparseSites.KERNEL_OFFSETS, to * SparseSites.KERNEL_OFFSETS, cols);
    return cols;
  }

  /**
   * The thread's buffer {@code slot} (0 or 2; +1 for DOUBLE), grown to at least {@code reserve} and
   * rows × cols elements, as a c-order [rows, cols] matrix from its start: valid until the next call
   * for that slot. One view, not a slice and a reshape: each ND4J view costs ~12–17 µs, and the
   * per-offset method takes several per offset.
   */
  private static INDArray scratchMatrix(DataType type, int slot, long rows, long cols, long reserve) {
    INDArray buffer = held(type, slot, Math.max(reserve, rows * cols));
    return Nd4j.create(buffer.data(), new long[] {rows, cols}, new long[] {cols, 1}, 0, 'c');
  }

  /** The thread's whole buffer {@code slot} (0 or 2; +1 for DOUBLE), grown to at least {@code need} elements. */
  private static INDArray held(DataType type, int slot, long need) {
    INDArray[] holder = SCRATCH.get();
    int i = slot + (type == DataType.DOUBLE ? 1 : 0);
    if (holder[i] == null || holder[i].length() < need) {
      holder[i] = Nd4j.createUninitializedDetached(type, Math.max(need, holder[i] == null ? 0 : 2 * holder[i].length()));
    }
    return holder[i];
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
