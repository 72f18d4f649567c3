package ai.mesm.model.layers;

import ai.mesm.model.sparse.NativeArrays;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CNNs' training convolutions on the native kernels ({@link CnnKernels}): stride 1, same
 * padding, 3×3 or 5×5, NCHW float arrays read and written in place; the forward pass of the narrow
 * layers and the gradients. At the narrow widths of the tests' and the demo's models oneDNN mostly
 * reorders DL4J's NCHW arrays into its channel-blocked layout (4 real channels padded to 16) and
 * back; here each sample's planes are padded once in cache and every pass is long vector loops. The
 * weight gradient alone serves each CNN's first convolution, whose input (pixels, mel bins) needs no
 * gradient. A call splits the samples over ND4J's threads; wide layers, where oneDNN's kernels win,
 * stay with DL4J unless mesm.model.cnn.kernels is {@code native} (gradients of every layer).
 */
public final class NativeConvolution {
  private NativeConvolution() {}

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

  /** Whether the kernel runs this layer's forward pass: FLOAT arrays with the kernels on, k of 3 or 5, a narrow layer. */
  static boolean forwardAppliesTo(DataType type, int cin, int cout, int kernel) {
    return CnnKernels.enabled(type) && (kernel == 3 || kernel == 5) && narrow(cin, cout, true);
  }

  /** y [n, cout, h, w] = the convolution of x [n, cin, h, w] with w [cout, cin, k, k], no bias; y dense c-order. */
  static void forward(INDArray x, INDArray w, INDArray y) {
    Shapes s = Shapes.of(x, w);
    if (!Arrays.equals(y.shape(), s.output()) || !NativeArrays.inPlace(y)) {
      throw new IllegalArgumentException("convolution output " + Arrays.toString(y.shape()) + " for " + s);
    }
    INDArray xr = NativeArrays.readable(x);
    INDArray wr = NativeArrays.readable(w);
    long xAt = NativeArrays.address(xr);
    long wAt = NativeArrays.address(wr);
    long yAt = NativeArrays.address(y);
    // One part per ND4J thread, like the gradients: a task per sample paid a pool hand-off each (~9 ms
    // of a 150 ms step at the tests' widths), and each sample's output is the same however they are split.
    int rc = inParts(s.n, parts(s.n), (part, from, count) -> CnnKernels.forward(CnnKernels.activeLevel(),
        xAt + from * s.inputBytes(), wAt, count, s.cin, s.cout, s.h, s.width, s.k, yAt + from * s.outputBytes()));
    Reference.reachabilityFence(xr);
    Reference.reachabilityFence(wr);
    if (rc != 0) throw new OutOfMemoryError("native memory for the convolution's padded planes");
    CnnKernels.counted();
  }

  /**
   * Writes dW [cout, cin, k, k] and, when {@code dx} is not null, dX [n, cin, h, w] for the
   * convolution of x [n, cin, h, w] with w [cout, cin, k, k] whose output gradient is dY.
   * dW and dX must be dense c-order arrays; x, w and dY are copied when they are not.
   */
  static void compute(INDArray x, INDArray w, INDArray dy, INDArray dw, INDArray dx) {
    Shapes s = Shapes.of(x, w);
    if (!Arrays.equals(dy.shape(), s.output()) || !Arrays.equals(dw.shape(), w.shape())
        || (dx != null && !Arrays.equals(dx.shape(), x.shape()))) {
      throw new IllegalArgumentException("convolution gradient shapes do not match: dY " + Arrays.toString(dy.shape())
          + " for " + s);
    }
    if (!NativeArrays.inPlace(dw) || (dx != null && !NativeArrays.inPlace(dx))) {
      throw new IllegalArgumentException("gradient arrays must be dense c-order");
    }
    INDArray xr = NativeArrays.readable(x);
    INDArray wr = NativeArrays.readable(w);
    INDArray dyr = NativeArrays.readable(dy);
    long xAt = NativeArrays.address(xr);
    long wAt = NativeArrays.address(wr);
    long dyAt = NativeArrays.address(dyr);
    long dxAt = dx == null ? 0 : NativeArrays.address(dx);
    // Each part sums its own samples' weight gradient, the first into dW, and writes their input gradients.
    int parts = parts(s.n);
    long[] dwAt = new long[parts];
    INDArray[] partial = new INDArray[parts];
    for (int p = 0; p < parts; p++) {
      partial[p] = p == 0 ? dw : Nd4j.createUninitialized(DataType.FLOAT, dw.shape(), 'c');
      dwAt[p] = NativeArrays.address(partial[p]);
    }
    int rc = inParts(s.n, parts, (part, from, count) -> CnnKernels.gradients(CnnKernels.activeLevel(),
        xAt + from * s.inputBytes(), dyAt + from * s.outputBytes(), wAt, count, s.cin, s.cout, s.h, s.width, s.k,
        dwAt[part], dx == null ? 0 : dxAt + from * s.inputBytes()));
    Reference.reachabilityFence(xr);
    Reference.reachabilityFence(wr);
    Reference.reachabilityFence(dyr);
    Reference.reachabilityFence(partial);
    if (rc != 0) throw new OutOfMemoryError("native memory for the convolution gradient's padded planes");
    for (int p = 1; p < parts; p++) dw.addi(partial[p]);
    CnnKernels.counted();
  }

  /** A convolution's sizes, read from x [n, cin, h, w] and w [cout, cin, k, k] and checked against each other. */
  private record Shapes(int n, int cin, int cout, int h, int width, int k) {
    static Shapes of(INDArray x, INDArray w) {
      if (x.rank() != 4 || w.rank() != 4 || w.size(1) != x.size(1) || w.size(2) != w.size(3)) {
        throw new IllegalArgumentException("convolution shapes do not match: x " + Arrays.toString(x.shape()) + ", w "
            + Arrays.toString(w.shape()));
      }
      return new Shapes((int) x.size(0), (int) x.size(1), (int) w.size(0), (int) x.size(2), (int) x.size(3),
          (int) w.size(2));
    }

    long[] output() {
      return new long[] {n, cout, h, width};
    }

    long inputBytes() {
      return (long) cin * h * width * Float.BYTES;
    }

    long outputBytes() {
      return (long) cout * h * width * Float.BYTES;
    }
  }

  /** Parts of the samples: one per ND4J thread (one in the tests' JVMs), at most one per sample. */
  static int parts(int n) {
    return Math.max(1, Math.min(n, Nd4j.getEnvironment().maxThreads()));
  }

  /** A native call over samples [from, from + count), the {@code part}-th; returns its status. */
  interface SampleRange {
    int run(int part, int from, int count);
  }

  /** {@code body} over {@code parts} parts of n samples (on the common pool when more than one); their statuses or-ed. */
  static int inParts(int n, int parts, SampleRange body) {
    if (parts == 1) return body.run(0, 0, n);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int part = p;
      int from = (int) ((long) n * p / parts);
      int count = (int) ((long) n * (p + 1) / parts) - from;
      calls.add(() -> body.run(part, from, count));
    }
    int rc = 0;
    for (Future<Integer> f : ForkJoinPool.commonPool().invokeAll(calls)) {
      try {
        rc |= f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted in a native convolution", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    return rc;
  }
}
