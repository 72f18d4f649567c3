package ai.mesm.model.sparse;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A submanifold 3×3 convolution (no bias: BatchNorm follows): outputs only at the active sites,
 * summing over active neighbours, so it equals "zero the inactive sites, dense 3×3 conv with
 * padding 1, keep the active sites" while its work is proportional to the number of active sites.
 *
 * <p>Each step is one gather and one matrix product: the rows of each site's 9 neighbours
 * (a zero row where a neighbour is inactive) form an [n, 9·Cin] matrix multiplied by the
 * [9·Cin, Cout] weights. The input gradient reuses the same rulebook: dX[i] = Σ_k dY[nbr(i, k)]·W_{8−k}ᵀ,
 * because the neighbour of i at offset k has i as its neighbour at the mirrored offset 8 − k.
 * Weights are laid out as [9·Cin, Cout], offset-major, offsets as {@link SparseSites#neighbours()}.
 */
public final class SubmanifoldConv {
  private SubmanifoldConv() {}

  /** x: [n, Cin] in site order; weights: [9·Cin, Cout]; returns [n, Cout]. */
  public static INDArray forward(INDArray x, int[] neighbours, INDArray weights) {
    if (x.size(0) == 0) return Nd4j.create(x.dataType(), 0, weights.size(1));
    return columns(x, neighbours).mmul(weights);
  }

  /** The gradients of {@link #forward}: {dX [n, Cin], dW [9·Cin, Cout]}. */
  public static INDArray[] backward(INDArray x, int[] neighbours, INDArray weights, INDArray dOut) {
    if (x.size(0) == 0) return new INDArray[] {x.dup(), Nd4j.zeros(weights.dataType(), weights.shape())};
    INDArray dWeights = columns(x, neighbours).transpose().mmul(dOut);
    INDArray dX = columns(dOut, neighbours).mmul(mirrored(weights, x.size(1)));
    return new INDArray[] {dX, dWeights};
  }

  /** [n, 9·C]: row i holds the features of site i's 9 neighbours, offset-major. */
  private static INDArray columns(INDArray x, int[] neighbours) {
    long n = x.size(0);
    return Rows.gather(x, neighbours).reshape('c', n, SparseSites.KERNEL_OFFSETS * x.size(1));
  }

  /** [9·Cout, Cin] with block k = W_{8−k}ᵀ. */
  private static INDArray mirrored(INDArray parameterView, long inChannels) {
    // A copy: indexing into a reshaped view of the flat parameter vector misbehaves in ND4J M2.1.
    INDArray weights = parameterView.dup('c');
    INDArray[] blocks = new INDArray[SparseSites.KERNEL_OFFSETS];
    for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) {
      int m = SparseSites.KERNEL_OFFSETS - 1 - k;
      blocks[k] = weights.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(m * inChannels, (m + 1) * inChannels),
          org.nd4j.linalg.indexing.NDArrayIndex.all()).transpose();
    }
    return Nd4j.concat(0, blocks);
  }
}
