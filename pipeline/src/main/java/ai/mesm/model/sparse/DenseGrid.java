package ai.mesm.model.sparse;

import java.lang.ref.Reference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between [frames, C, H, W] activations and site-ordered [n, C] feature rows. */
public final class DenseGrid {
  private DenseGrid() {}

  /**
   * Every site's features, in {@link SparseSites#all} order: a view when {@code dense} is stored
   * channels-last (the frozen graph's native stem writes it so), else a transposed copy.
   */
  public static INDArray rows(INDArray dense) {
    long f = dense.size(0);
    long c = dense.size(1);
    INDArray sitesFirst = dense.permute(0, 2, 3, 1);
    if (!NativeArrays.denseStrides(sitesFirst)) sitesFirst = sitesFirst.dup('c');
    return sitesFirst.reshape('c', f * dense.size(2) * dense.size(3), c);
  }

  /** [frames, C, H, W] with the sites' features and zeros at inactive sites. */
  public static INDArray dense(SparseSites sites, INDArray features) {
    int[] siteAt = sites.siteAtGrid();
    if (NativeKernels.appliesTo(features, features.size(1))) return denseNative(sites, features, siteAt);
    return Rows.gather(features, siteAt).reshape('c', sites.frames(), sites.height(), sites.width(), features.size(1))
        .permute(0, 3, 1, 2).dup('c');
  }

  /** {@link #dense} by the native kernels: each frame written straight in [C, H, W] order, split over the cores. */
  private static INDArray denseNative(SparseSites sites, INDArray features, int[] siteAt) {
    int channels = (int) features.size(1);
    int cells = sites.height() * sites.width();
    INDArray rows = NativeArrays.readable(features);
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, sites.frames(), channels, sites.height(), sites.width());
    long xa = NativeArrays.address(rows);
    long ya = NativeArrays.address(out);
    Rows.inParts(sites.frames(), 1, (from, to) -> NativeKernels.toDense(xa, channels, siteAt, cells, from, to, ya));
    Reference.reachabilityFence(rows);
    return out;
  }
}
