package ai.mesm.model.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native gradients of the CNNs' training convolutions ({@link CnnKernels}): stride 1, same
 * padding, 3×3 or 5×5, NCHW float arrays read and written in place. At the narrow widths of the
 * tests' and the demo's models oneDNN's backward pass mostly reorders DL4J's NCHW arrays into its
 * channel-blocked layout (4 real channels padded to 16) and back; here each sample's planes are
 * padded once in cache and both gradients are long vector loops. The weight gradient alone serves
 * each CNN's first convolution, whose input (pixels, mel bins) needs no gradient. A call splits the
 * samples over ND4J's threads; wide layers, where oneDNN's kernels win, stay with DL4J unless
 * mesm.model.cnn.kernels is {@code native}.
 */
public final class DenseConvGradients {
  private DenseConvGradients() {}

  /**
   * Whether the kernel computes this layer's gradients: FLOAT arrays with the native kernels on, a
   * square odd kernel of 3 or 5 (stride 1 and same padding are the caller's to check), and a layer
   * {@link #narrow} picks unless every convolution is asked for.
   */
  static boolean appliesTo(DataType type, int cin, int cout, int kernel, boolean inputGradient) {
    if (!CnnKernels.enabled(type) || (kernel != 3 && kernel != 5)) return false;
    return CnnKernels.everyConvolution() || narrow(cin, cout, inputGradient);
  }

  /**
   * {@code auto}'s choice, measured on this 2-core machine (docs/performance.md): a layer without
   * its input gradient (each CNN's first) at any width, since oneDNN computes and reorders for that
   * gradient anyway; otherwise layers of at most 32 channels in and out.
   */
  static boolean narrow(int cin, int cout, boolean inputGradient) {
    return !inputGradient || (cin <= 32 && cout <= 32);
  }

  /**
   * Writes dW [cout, cin, k, k] and, when {@code dx} is not null, dX [n, cin, h, w] for the
   * convolution of x [n, cin, h, w] with w [cout, cin, k, k] whose output gradient is dY.
   * dW and dX must be c-order arrays with default strides; x, w and dY are copied when they are not.
   */
  static void compute(INDArray x, INDArray w, INDArray dy, INDArray dw, INDArray dx) {
    long[] s = x.shape();
    int n = (int) s[0];
    int cin = (int) s[1];
    int h = (int) s[2];
    int width = (int) s[3];
    int cout = (int) w.size(0);
    int k = (int) w.size(2);
    if (w.size(1) != cin || w.size(3) != k || !java.util.Arrays.equals(dy.shape(), new long[] {n, cout, h, width})
        || !java.util.Arrays.equals(dw.shape(), w.shape()) || (dx != null && !java.util.Arrays.equals(dx.shape(), s))) {
      throw new IllegalArgumentException("convolution gradient shapes do not match: x " + java.util.Arrays.toString(s)
          + ", w " + java.util.Arrays.toString(w.shape()) + ", dY " + java.util.Arrays.toString(dy.shape()));
    }
    INDArray xc = CnnKernels.dense(x);
    INDArray wc = CnnKernels.dense(w);
    INDArray dyc = CnnKernels.dense(dy);
    if (CnnKernels.dense(dw) != dw || (dx != null && CnnKernels.dense(dx) != dx)) {
      throw new IllegalArgumentException("gradient arrays must be dense c-order");
    }
    // The samples split over ND4J's threads (one in the tests' JVMs): each part sums its own weight
    // gradient, the first into dW, and writes its own samples' input gradients.
    int parts = Math.max(1, Math.min(n, Nd4j.getEnvironment().maxThreads()));
    INDArray[] partial = new INDArray[parts];
    List<Callable<Integer>> calls = new ArrayList<>();
    long xPlane = (long) cin * h * width * Float.BYTES;
    long dyPlane = (long) cout * h * width * Float.BYTES;
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int count = (int) ((long) n * (p + 1) / parts) - from;
      partial[p] = p == 0 ? dw : Nd4j.createUninitialized(DataType.FLOAT, dw.shape(), 'c');
      long dwAt = CnnKernels.address(partial[p]);
      long dxAt = dx == null ? 0 : CnnKernels.address(dx) + from * xPlane;
      long xAt = CnnKernels.address(xc) + from * xPlane;
      long dyAt = CnnKernels.address(dyc) + from * dyPlane;
      long wAt = CnnKernels.address(wc);
      calls.add(() -> CnnKernels.gradients(CnnKernels.activeLevel(), xAt, dyAt, wAt, count, cin, cout, h, width, k,
          dwAt, dxAt));
    }
    int rc = 0;
    if (parts == 1) {
      rc = run(calls.get(0));
    } else {
      for (Future<Integer> f : ForkJoinPool.commonPool().invokeAll(calls)) rc |= result(f);
      for (int p = 1; p < parts; p++) dw.addi(partial[p]);
    }
    if (rc != 0) throw new OutOfMemoryError("native memory for the convolution gradient's padded planes");
    CnnKernels.counted();
  }

  private static int run(Callable<Integer> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int result(Future<Integer> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in the convolution gradient", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
