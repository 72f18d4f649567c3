package ai.mesm.model.sparse;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Row gathers, the only data movement the sparse kernels need (no scatter, so no write races). */
final class Rows {
  private Rows() {}

  /** {@code out[j] = src[index[j]]}, or a zero row where {@code index[j] < 0}; src is [n, C]. */
  static INDArray gather(INDArray src, int[] index) {
    long n = src.size(0);
    long channels = src.size(1);
    if (index.length == 0 || n == 0) return Nd4j.zeros(src.dataType(), index.length, channels);
    int[] idx = new int[index.length];
    boolean anyMissing = false;
    for (int j = 0; j < index.length; j++) {
      idx[j] = index[j] < 0 ? (int) n : index[j];
      anyMissing |= index[j] < 0;
    }
    INDArray from = anyMissing ? Nd4j.concat(0, src, Nd4j.zeros(src.dataType(), 1, channels)) : src;
    return Nd4j.pullRows(from, 1, idx);
  }
}
