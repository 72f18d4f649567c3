package ai.mesm.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.mesm.model.sparse.NativeKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native convolution (forward pass, weight and input gradients) against the definition written
 * out in loops, in double: every instruction set this CPU runs, 3×3 and 5×5 kernels, channel counts
 * that are not multiples of the kernel's tiles (4 output channels per weight-gradient tile, 8
 * channels per input-gradient and forward tile), planes narrower than a vector, and the weights as
 * a view into a larger buffer (as DL4J's parameters are).
 */
class NativeConvolutionTest {
  /**
   * Skips only where the build made no native kernels at all (no C compiler, not x86-64 Linux: the
   * sparse kernel is missing too); where it made the others, a missing one is a failure.
   */
  static void assumeNative() {
    if (NativeKernels.available()) assertTrue(CnnKernels.available(), CnnKernels.describe());
    assumeTrue(CnnKernels.available(), CnnKernels::describe);
  }

  @ParameterizedTest(name = "n {0}, cin {1}, cout {2}, {3}x{4}, k {5}")
  @CsvSource({"3, 3, 4, 10, 9, 5", "2, 1, 5, 13, 6, 5", "2, 9, 17, 7, 5, 3", "4, 4, 8, 3, 2, 3", "1, 16, 3, 6, 21, 3"})
  void equalTheDefinitionOnEveryInstructionSet(int n, int cin, int cout, int h, int w, int k) {
    assumeNative();
    Nd4j.getRandom().setSeed(n * 131 + cin * 17 + cout);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, cin, h, w).subi(0.5);
    INDArray dy = Nd4j.rand(DataType.FLOAT, n, cout, h, w).subi(0.5);
    INDArray buffer = Nd4j.rand(DataType.FLOAT, 1, 7 + cout * cin * k * k).subi(0.5);
    INDArray weights = buffer.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 7 + cout * cin * k * k)).reshape('c', cout, cin, k, k);
    double[][] expected = definition(x.castTo(DataType.DOUBLE), weights.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE));
    for (int level = 1; level <= CnnKernels.level(); level++) {
      INDArray dw = Nd4j.create(DataType.FLOAT, cout, cin, k, k);
      INDArray dx = Nd4j.create(DataType.FLOAT, n, cin, h, w);
      assertEquals(0, CnnKernels.gradients(level, address(x), address(dy), address(weights), n, cin, cout, h, w,
          k, address(dw), address(dx)));
      assertClose(expected[0], dw, "level " + level + ", weight gradient");
      assertClose(expected[1], dx, "level " + level + ", input gradient");
      INDArray dwAlone = Nd4j.create(DataType.FLOAT, cout, cin, k, k);
      CnnKernels.gradients(level, address(x), address(dy), address(weights), n, cin, cout, h, w, k,
          address(dwAlone), 0);
      assertEquals(dw, dwAlone, "level " + level + ", the weight gradient alone");
      INDArray y = Nd4j.create(DataType.FLOAT, n, cout, h, w);
      assertEquals(0, CnnKernels.forward(level, address(x), address(weights), n, cin, cout, h, w, k, address(y)));
      assertClose(expected[2], y, "level " + level + ", forward");
    }
  }

  @Test
  void settingIsCheckedAndDescribed() {
    assertThrows(IllegalArgumentException.class, () -> CnnKernels.configure("fast"));
    try {
      CnnKernels.configure("java");
      assertTrue(CnnKernels.describe().startsWith("java"), CnnKernels.describe());
      assertTrue(!NativeConvolution.appliesTo(DataType.FLOAT, 4, 4, 3, true));
      CnnKernels.configure("auto");
      assertEquals(CnnKernels.available(), NativeConvolution.appliesTo(DataType.FLOAT, 4, 4, 3, true));
      assertTrue(!NativeConvolution.appliesTo(DataType.DOUBLE, 4, 4, 3, true), "double stays with DL4J");
      assertTrue(!NativeConvolution.appliesTo(DataType.FLOAT, 4, 4, 7, true), "kernels of 3 and 5 only");
      assertTrue(!NativeConvolution.appliesTo(DataType.FLOAT, 64, 64, 3, true), "wide layers stay with DL4J under auto");
      assertEquals(CnnKernels.available(), NativeConvolution.appliesTo(DataType.FLOAT, 3, 64, 5, false));
    } finally {
      CnnKernels.configure("auto");
    }
  }

  private static long address(INDArray a) {
    return a.data().address() + a.offset() * a.data().getElementSize();
  }

  /** dW, dX and the output of a stride-1, same-padded convolution, summed term by term. */
  static double[][] definition(INDArray x, INDArray w, INDArray dy) {
    int n = (int) x.size(0), cin = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3);
    int cout = (int) w.size(0), k = (int) w.size(2), p = k / 2;
    double[] dw = new double[cout * cin * k * k];
    double[] dx = new double[n * cin * h * wd];
    double[] out = new double[n * cout * h * wd];
    for (int s = 0; s < n; s++)
      for (int co = 0; co < cout; co++)
        for (int ci = 0; ci < cin; ci++)
          for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
              for (int y = 0; y < h; y++)
                for (int xx = 0; xx < wd; xx++) {
                  int iy = y + ky - p, ix = xx + kx - p;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                  double g = dy.getDouble(s, co, y, xx);
                  dw[((co * cin + ci) * k + ky) * k + kx] += g * x.getDouble(s, ci, iy, ix);
                  dx[((s * cin + ci) * h + iy) * wd + ix] += g * w.getDouble(co, ci, ky, kx);
                  out[((s * cout + co) * h + y) * wd + xx] += w.getDouble(co, ci, ky, kx) * x.getDouble(s, ci, iy, ix);
                }
    return new double[][] {dw, dx, out};
  }

  private static void assertClose(double[] expected, INDArray actual, String what) {
    double[] a = actual.castTo(DataType.DOUBLE).data().asDouble();
    assertEquals(expected.length, a.length, what);
    double scale = 0;
    for (double e : expected) scale = Math.max(scale, Math.abs(e));
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], 1e-5 * Math.max(1, scale), what + " at " + i);
    }
  }
}
