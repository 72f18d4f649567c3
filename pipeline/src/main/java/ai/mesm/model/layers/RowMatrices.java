package ai.mesm.model.layers;

import ai.mesm.model.sparse.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major matrices of the hand-written layers: held as double arrays for the element-wise work,
 * multiplied by ND4J's GEMM in the network's type (float in training and inference, double in
 * the gradient checks), so the large products run on the same BLAS kernels as DL4J's own layers.
 */
final class RowMatrices {
  private final DataType type;

  RowMatrices(DataType type) {
    this.type = type;
  }

  /** {@code values} as a [rows × cols] matrix of the network's type. */
  INDArray matrix(double[] values, int rows, int cols) {
    return array(values, rows, cols);
  }

  /** {@code values} as a row-major array of {@code shape} in the network's type. */
  INDArray array(double[] values, long... shape) {
    return DenseArrays.of(values, type, shape);
  }

  /** op(a) · op(b), op transposing where asked. */
  double[] product(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
    return values(Nd4j.gemm(a, b, transposeA, transposeB));
  }

  /** The elements of {@code a} in row-major order, as doubles. */
  static double[] values(INDArray a) {
    return NativeArrays.doubles(a);
  }

  /** Adds {@code bias} [n] to every row of {@code c} [m×n]. */
  static void addRows(double[] c, double[] bias, int m, int n) {
    for (int i = 0; i < m; i++) {
      int ci = i * n;
      for (int j = 0; j < n; j++) c[ci + j] += bias[j];
    }
  }

  /** The column sums of a[m×n]: a bias's gradient. */
  static double[] sumRows(double[] a, int m, int n) {
    double[] sums = new double[n];
    for (int i = 0; i < m; i++) {
      int ai = i * n;
      for (int j = 0; j < n; j++) sums[j] += a[ai + j];
    }
    return sums;
  }

  /** a += b, element by element. */
  static void add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) a[i] += b[i];
  }
}
