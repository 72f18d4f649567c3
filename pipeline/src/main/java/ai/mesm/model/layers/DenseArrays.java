package ai.mesm.model.layers;

import ai.mesm.model.sparse.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays that the layers' loops and kernels read in place: elements in c order without gaps from
 * the array's offset on. DL4J's workspace arrays are such arrays even though their buffer may be
 * longer than they are; {@code Rows.contiguous} (which also wants offset 0 and a buffer of exactly
 * the array's length) copied every one of them, a copy per layer call in training.
 */
public final class DenseArrays {
  private DenseArrays() {}

  /** {@code a} itself when its elements lie in c order without gaps ({@link NativeArrays#denseStrides}), else a dense copy. */
  static INDArray readable(INDArray a) {
    return NativeArrays.denseStrides(a) ? a : a.dup('c');
  }

  /** The index in {@code a.data()} of {@code a}'s element 0, for absolute buffer access. */
  static int base(INDArray a) {
    if (!NativeArrays.denseStrides(a)) throw new IllegalArgumentException("expected a dense c-order array, got " + a.shapeInfoToString());
    return Math.toIntExact(a.offset());
  }

  /**
   * A new FLOAT array of {@code shape} holding {@code values} in c order, copied in one bulk write
   * ({@code Nd4j.create(float[], …)} writes element by element through an indexer).
   */
  public static INDArray of(float[] values, long... shape) {
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    if (out.length() != values.length) throw new IllegalArgumentException(values.length + " values for " + out.length());
    out.data().asNioFloat().put(0, values);
    return out;
  }

  /** A new array of {@code type} and {@code shape} holding {@code values} in c order (one bulk write for FLOAT and DOUBLE). */
  static INDArray of(double[] values, DataType type, long... shape) {
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      return Nd4j.createFromArray(values).reshape('c', shape).castTo(type);
    }
    return write(Nd4j.createUninitialized(type, shape, 'c'), values);
  }

  /** Writes {@code values} (c order) into {@code target}, in one bulk copy where it is a dense FLOAT or DOUBLE array. */
  static INDArray write(INDArray target, double[] values) {
    if (target.length() != values.length) throw new IllegalArgumentException(values.length + " values for " + target.length());
    DataType type = target.dataType();
    if (!NativeArrays.denseStrides(target) || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
      return target.assign(of(values, DataType.DOUBLE, target.shape()));
    }
    int base = base(target);
    if (type == DataType.DOUBLE) {
      target.data().asNioDouble().put(base, values);
    } else {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
      target.data().asNioFloat().put(base, f);
    }
    return target;
  }
}
