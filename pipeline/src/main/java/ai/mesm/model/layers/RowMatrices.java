package ai.mesm.model.layers;

/**
 * Products of row-major double matrices for the hand-written layers. Every inner loop runs along
 * a row of the output or of the right operand, so the JIT vectorises it; a product with a
 * transposed right operand transposes that (small, weight-sized) operand first for the same reason.
 */
final class RowMatrices {
  private RowMatrices() {}

  /** c[m×n] (+)= a[m×k] · b[k×n]. */
  static void multiply(double[] a, double[] b, double[] c, int m, int k, int n, boolean accumulate) {
    if (!accumulate) java.util.Arrays.fill(c, 0, m * n, 0.0);
    for (int i = 0; i < m; i++) {
      int ci = i * n;
      for (int p = 0; p < k; p++) {
        double x = a[i * k + p];
        if (x == 0.0) continue;
        int bp = p * n;
        for (int j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
      }
    }
  }

  /** c[k×n] += a[m×k]ᵀ · b[m×n]: the weight gradient of a row-wise linear map. */
  static void multiplyTransposedLeft(double[] a, double[] b, double[] c, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int bi = i * n;
      for (int p = 0; p < k; p++) {
        double x = a[i * k + p];
        if (x == 0.0) continue;
        int cp = p * n;
        for (int j = 0; j < n; j++) c[cp + j] += x * b[bi + j];
      }
    }
  }

  /** c[m×k] (+)= a[m×n] · b[k×n]ᵀ: the input gradient of a row-wise linear map with weights b. */
  static void multiplyTransposedRight(double[] a, double[] b, double[] c, int m, int n, int k, boolean accumulate) {
    multiply(a, transpose(b, k, n), c, m, n, k, accumulate);
  }

  /** [rows×cols] → [cols×rows]. */
  static double[] transpose(double[] a, int rows, int cols) {
    double[] t = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
    }
    return t;
  }

  /** Adds {@code bias} [n] to every row of {@code c} [m×n]. */
  static void addRows(double[] c, double[] bias, int m, int n) {
    for (int i = 0; i < m; i++) {
      int ci = i * n;
      for (int j = 0; j < n; j++) c[ci + j] += bias[j];
    }
  }

  /** into[n] += the column sums of a[m×n]: a bias's gradient. */
  static void sumRows(double[] a, double[] into, int m, int n) {
    for (int i = 0; i < m; i++) {
      int ai = i * n;
      for (int j = 0; j < n; j++) into[j] += a[ai + j];
    }
  }
}
