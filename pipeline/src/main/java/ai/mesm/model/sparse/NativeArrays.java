package ai.mesm.model.sparse;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float arrays that the native kernels (MESM's sparse blocks, the CNNs' convolutions and
 * BatchNorm + ReLU) read and write in place, by the address of their first element. Whether an
 * array can be read that way is judged by its strides alone: ND4J may flag an array with a
 * dimension of size 1 as 'f' although its elements lie in c order.
 *
 * <p>An address does not keep its array alive: a caller holds each array it passes by address in a
 * variable and fences it ({@link java.lang.ref.Reference#reachabilityFence}) after the native call,
 * or a copy made here could be collected, and its memory freed, while the kernel still reads it.
 */
public final class NativeArrays {
  private NativeArrays() {}

  /** Whether {@code a} is FLOAT with its elements in c order without gaps (views allowed). */
  public static boolean inPlace(INDArray a) {
    return a.dataType() == DataType.FLOAT && denseStrides(a);
  }

  /**
   * Whether {@code a}'s elements lie in c order without gaps from its offset on, whatever its type
   * and however long its buffer (dimensions of size 1 may have any stride).
   */
  public static boolean denseStrides(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) return false;
      expected *= shape[d];
    }
    return true;
  }

  /** The elements of a FLOAT or DOUBLE array in c order, as doubles, read in one bulk copy (in place where dense). */
  public static double[] doubles(INDArray a) {
    if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
      return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
    INDArray d = denseStrides(a) ? a : a.dup('c');
    int base = Math.toIntExact(d.offset());
    int n = Math.toIntExact(d.length());
    double[] out = new double[n];
    if (d.dataType() == DataType.DOUBLE) {
      d.data().asNioDouble().get(base, out, 0, n);
    } else {
      float[] f = new float[n];
      d.data().asNioFloat().get(base, f, 0, n);
      for (int i = 0; i < n; i++) out[i] = f[i];
    }
    return out;
  }

  /** {@code a} itself where a kernel can read it in place, else a c-order float copy. */
  public static INDArray readable(INDArray a) {
    return inPlace(a) ? a : Nd4j.createUninitialized(DataType.FLOAT, a.shape(), 'c').assign(a);
  }

  /** The address of element 0 of an array a kernel can read in place. */
  public static long address(INDArray a) {
    if (!inPlace(a)) {
      throw new IllegalArgumentException("a native kernel needs a FLOAT array in c order without gaps, got "
          + a.dataType() + " with shape " + java.util.Arrays.toString(a.shape()) + " and strides "
          + java.util.Arrays.toString(a.stride()));
    }
    return a.data().address() + a.offset() * a.data().getElementSize();
  }
}
