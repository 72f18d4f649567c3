package ai.mesm.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arrays that the layers' loops and kernels read in place: elements in c order without gaps from
 * the array's offset on. DL4J's workspace arrays are such arrays even though their buffer may be
 * longer than they are; {@code Rows.contiguous} (which also wants offset 0 and a buffer of exactly
 * the array's length) copied every one of them, a copy per layer call in training.
 */
final class DenseArrays {
  private DenseArrays() {}

  /** Whether {@code a}'s elements lie in c order without gaps from its offset on (dimensions of size 1 have any stride). */
  static boolean dense(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) return false;
      expected *= shape[d];
    }
    return true;
  }

  /** {@code a} itself when it is {@link #dense}, else a dense copy. */
  static INDArray readable(INDArray a) {
    return dense(a) ? a : a.dup('c');
  }

  /** The index in {@code a.data()} of {@code a}'s element 0, for absolute buffer access. */
  static int base(INDArray a) {
    if (!dense(a)) throw new IllegalArgumentException("expected a dense c-order array, got " + a.shapeInfoToString());
    return Math.toIntExact(a.offset());
  }
}
