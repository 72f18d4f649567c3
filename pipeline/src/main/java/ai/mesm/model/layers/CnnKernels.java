package ai.mesm.model.layers;

import ai.mesm.io.NativeLibrary;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native kernels of the CNNs' training layers ({@code pipeline/src/main/c/mesm_dense.c}, built
 * into the jar when the build machine has a C compiler): the narrow convolutions' forward pass and
 * gradients ({@link NativeConvolution}) and BatchNorm + ReLU ({@link BatchNormReluLayer}), on FLOAT arrays read
 * and written in place by address.
 *
 * <p>Where they run is {@code mesm.model.cnn.kernels} ({@link #configure}): {@code auto} (where the
 * library loads: BatchNorm + ReLU everywhere, the gradients of the layers
 * {@link NativeConvolution#narrow} picks), {@code native} (the same, with the gradients of every
 * convolution; an error where the library cannot load) or {@code java} (DL4J's convolution backward
 * pass and the Java BatchNorm + ReLU, as a build without a C compiler runs).
 */
public final class CnnKernels {
  static final String LIBRARY = "libmesm_dense.so";
  private static final String[] LEVELS = {"none", "avx2", "avx512"};
  private static final String LOAD_FAILURE;
  private static final int LEVEL;

  static {
    String failed = NativeLibrary.load(CnnKernels.class, LIBRARY);
    int level = 0;
    if (!Nd4j.getEnvironment().isCPU()) {
      failed = "ND4J runs on a GPU backend here, and the native kernels are for CPU arrays";
    } else if (failed.isEmpty()) {
      level = level();
      if (level == 0) failed = "this CPU has neither AVX2 with FMA nor AVX-512";
    }
    LOAD_FAILURE = failed;
    LEVEL = level;
  }

  /** auto | native | java. */
  private static volatile String mode = "auto";
  /** Layer passes this JVM ran natively, for tests that must know the kernels ran. */
  private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();

  private CnnKernels() {}

  /** 2 = AVX-512, 1 = AVX2 + FMA, 0 = neither. */
  static native int level();

  /** dW (and dX unless its address is 0) of x [n, cin, h, w] and dY [n, cout, h, w]; 0, or -1 when out of memory. */
  static native int gradients(int level, long x, long dy, long w, int n, int cin, int cout, int h, int width, int k,
                              long dw, long dx);

  /** y [n, cout, h, w] = the same-padded convolution of x [n, cin, h, w] with w [cout, cin, k, k]; 0, or -1 when out of memory. */
  static native int forward(int level, long x, long w, int n, int cin, int cout, int h, int width, int k, long y);

  /**
   * y [frames, c', h', w'] = the folded CNN of x [frames, c0, h, w]: kernels[l] 3 or 5 for a
   * same-padded convolution to couts[l] channels with bias and ReLU, 0 for a 2×2 max-pool; weights
   * and biases as {@link PackedCnnWeights} lays them out; {@code channelsLast}: y is [frames, h', w', c']
   * instead. AVX-512 only. 0, or -1 when out of memory.
   */
  static native int inferCnn(long x, int frames, int c0, int h, int width, int[] kernels, int[] couts, long weights,
                             long bias, boolean channelsLast, long y);

  /**
   * y = max(0, a·x + b) for channels [c0, c1) of x [n, channels, plane]; in training the batch's mean
   * and (biased) variance are computed into {@code mean} and {@code var} first, otherwise read from
   * them; a = γ/√(var + ε) and b = β − mean·a are written.
   */
  static native void bnReluForward(int level, long x, long y, int n, int channels, long plane, int c0, int c1,
                                   boolean training, double[] gamma, double[] beta, double eps, double[] mean,
                                   double[] var, double[] a, double[] b);

  /** dγ, dβ and dx for channels [c0, c1), from the forward pass's a, b, mean and std. */
  static native void bnReluBackward(int level, long x, long dy, long dx, int n, int channels, long plane, int c0,
                                    int c1, double[] a, double[] b, double[] mean, double[] std, double[] dgamma,
                                    double[] dbeta);

  /**
   * Applies mesm.model.cnn.kernels to this JVM (idempotent: each Spark task may call it).
   *
   * @throws IllegalArgumentException for a value other than auto, native or java
   * @throws IllegalStateException for {@code native} where the kernels are unavailable, with the reason
   */
  public static void configure(String setting) {
    String s = setting.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "auto", "java" -> mode = s;
      case "native" -> {
        if (!available()) {
          throw new IllegalStateException("the native CNN kernels are unavailable: " + LOAD_FAILURE
              + " (build with a C compiler on x86-64 Linux, or set mesm.model.cnn.kernels = java)");
        }
        mode = s;
      }
      default -> throw new IllegalArgumentException("mesm.model.cnn.kernels must be auto, native or java, not '" + setting + "'");
    }
  }

  public static boolean available() {
    return LEVEL > 0;
  }

  /** Whether FLOAT arrays of the CNNs' layers take the native kernels in this JVM. */
  static boolean enabled(DataType type) {
    return available() && !mode.equals("java") && type == DataType.FLOAT;
  }

  /** Whether the frozen graph's CNN runs on the native inference kernel for this type: AVX-512 only. */
  static boolean inferenceAvailable(DataType type) {
    return enabled(type) && LEVEL == 2;
  }

  /** Whether every convolution's gradients, not only the narrow ones, run natively. */
  static boolean everyConvolution() {
    return mode.equals("native");
  }

  static void counted() {
    CALLS.incrementAndGet();
  }

  static long calls() {
    return CALLS.get();
  }

  static int activeLevel() {
    return LEVEL;
  }

  /** One line for logs and benchmarks: where the CNNs' training kernels run and why. */
  public static String describe() {
    if (mode.equals("java")) return "java (mesm.model.cnn.kernels = java)";
    if (!available()) return "java (native kernels unavailable: " + LOAD_FAILURE + ")";
    return "native (" + LEVELS[LEVEL] + (mode.equals("native") ? ", every convolution's gradients)"
        : "; DL4J's backward pass for convolutions wider than 32 channels)");
  }
}
