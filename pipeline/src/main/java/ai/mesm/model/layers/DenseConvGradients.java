package ai.mesm.model.layers;

import ai.mesm.io.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native gradients of the CNNs' training convolutions ({@code pipeline/src/main/c/mesm_dense.c}):
 * stride 1, same padding, 3×3 or 5×5, NCHW float arrays read and written in place. At the narrow
 * widths of the tests' and the demo's models oneDNN's backward pass mostly reorders DL4J's NCHW arrays
 * into its channel-blocked layout (4 real channels padded to 16) and back; here each sample's planes
 * are padded once in cache and both gradients are long vector loops. The weight gradient alone serves
 * each CNN's first convolution, whose input (pixels, mel bins) needs no gradient.
 *
 * <p>Where it runs is {@code mesm.model.cnn.gradients} ({@link #configure}): {@code auto} (the native
 * kernel where it loads, for the layers {@link #narrow} picks), {@code native} (every applicable
 * layer; an error where the kernel cannot load) or {@code dl4j} (DL4J's backward pass throughout).
 * A call splits the samples over ND4J's threads; wide layers, where oneDNN's kernels win, stay with
 * DL4J under {@code auto}.
 */
public final class DenseConvGradients {
  static final String LIBRARY = "libmesm_dense.so";
  private static final String[] LEVELS = {"none", "avx2", "avx512"};
  private static final String LOAD_FAILURE;
  private static final int LEVEL;

  static {
    String failed = NativeLibrary.load(DenseConvGradients.class, LIBRARY);
    int level = 0;
    if (!Nd4j.getEnvironment().isCPU()) {
      failed = "ND4J runs on a GPU backend here, and the native kernel is for CPU arrays";
    } else if (failed.isEmpty()) {
      level = level();
      if (level == 0) failed = "this CPU has neither AVX2 with FMA nor AVX-512";
    }
    LOAD_FAILURE = failed;
    LEVEL = level;
  }

  /** auto | native | dl4j. */
  private static volatile String mode = "auto";
  /** Layers whose gradients this JVM computed here, for tests that must know the kernel ran. */
  private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();

  private DenseConvGradients() {}

  /** 2 = AVX-512, 1 = AVX2 + FMA, 0 = neither. */
  static native int level();

  /** dW (and dX unless its address is 0) of x [n, cin, h, w] and dY [n, cout, h, w]; 0, or -1 when out of memory. */
  static native int gradients(int level, long x, long dy, long w, int n, int cin, int cout, int h, int width, int k,
                              long dw, long dx);

  /**
   * Applies mesm.model.cnn.gradients to this JVM (idempotent: each Spark task may call it).
   *
   * @throws IllegalArgumentException for a value other than auto, native or dl4j
   * @throws IllegalStateException for {@code native} where the kernel is unavailable, with the reason
   */
  public static void configure(String setting) {
    String s = setting.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "auto", "dl4j" -> mode = s;
      case "native" -> {
        if (!available()) {
          throw new IllegalStateException("the native CNN gradient kernel is unavailable: " + LOAD_FAILURE
              + " (build with a C compiler on x86-64 Linux, or set mesm.model.cnn.gradients = dl4j)");
        }
        mode = s;
      }
      default -> throw new IllegalArgumentException("mesm.model.cnn.gradients must be auto, native or dl4j, not '" + setting + "'");
    }
  }

  public static boolean available() {
    return LEVEL > 0;
  }

  /** One line for logs and benchmarks: where the CNNs' convolution gradients run and why. */
  public static String describe() {
    if (mode.equals("dl4j")) return "dl4j (mesm.model.cnn.gradients = dl4j)";
    if (!available()) return "dl4j (native kernel unavailable: " + LOAD_FAILURE + ")";
    return mode.equals("native") ? "native (" + LEVELS[LEVEL] + ", every layer)"
        : "native (" + LEVELS[LEVEL] + ") for narrow layers, dl4j for wide ones";
  }

  /**
   * Whether the kernel computes this layer's gradients: FLOAT arrays, a square odd kernel of 3 or 5
   * (stride 1 and same padding are the caller's to check), and under {@code auto} a narrow layer.
   */
  static boolean appliesTo(DataType type, int cin, int cout, int kernel, boolean inputGradient) {
    if (!available() || mode.equals("dl4j") || type != DataType.FLOAT || (kernel != 3 && kernel != 5)) return false;
    return mode.equals("native") || narrow(cin, cout, inputGradient);
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
    INDArray xc = dense(x);
    INDArray wc = dense(w);
    INDArray dyc = dense(dy);
    if (dense(dw) != dw || (dx != null && dense(dx) != dx)) throw new IllegalArgumentException("gradient arrays must be dense c-order");
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
      long dwAt = address(partial[p]);
      long dxAt = dx == null ? 0 : address(dx) + from * xPlane;
      calls.add(() -> gradients(LEVEL, address(xc) + from * xPlane, address(dyc) + from * dyPlane, address(wc), count,
          cin, cout, h, width, k, dwAt, dxAt));
    }
    int rc = 0;
    if (parts == 1) {
      rc = run(calls.get(0));
    } else {
      for (Future<Integer> f : ForkJoinPool.commonPool().invokeAll(calls)) rc |= result(f);
      for (int p = 1; p < parts; p++) dw.addi(partial[p]);
    }
    if (rc != 0) throw new OutOfMemoryError("native memory for the convolution gradient's padded planes");
    CALLS.incrementAndGet();
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

  static long calls() {
    return CALLS.get();
  }

  /**
   * {@code a} where its elements lie in c order without gaps, else a c-order float copy. Judged by the
   * strides alone: ND4J may flag an array with a dimension of size 1 as 'f' although its layout is c's.
   */
  private static INDArray dense(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    boolean dense = a.dataType() == DataType.FLOAT;
    for (int d = shape.length - 1; d >= 0 && dense; d--) {
      dense = shape[d] == 1 || stride[d] == expected;
      expected *= shape[d];
    }
    return dense ? a : Nd4j.createUninitialized(DataType.FLOAT, shape, 'c').assign(a);
  }

  private static long address(INDArray a) {
    return a.data().address() + a.offset() * a.data().getElementSize();
  }
}
