package ai.mesm.model.sparse;

import static ai.mesm.config.ConfigKeys.MESM_KERNELS;

import ai.mesm.io.NativeLibrary;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native submanifold convolution ({@code pipeline/src/main/c/mesm_sparse.c}, built into the
 * jar when the build machine has a C compiler): per (site, neighbour) pair, the neighbour's row
 * times that offset's weights, summed in vector registers, so no row is gathered into a copy and
 * no product matrix is written. It runs the convolutions of the sparse blocks at close to the
 * dense layers' rate per FLOP, which the Java gather + GEMM path could not.
 *
 * <p>Used for FLOAT arrays on x86-64 Linux CPUs with AVX2 + FMA or AVX-512 unless the setting
 * mesm.model.mesm.kernels ({@link #configure}, applied by the stages on the driver and by the Spark
 * functions on each executor) or, while that is {@code auto}, the JVM's system property
 * {@value #PROPERTY} says {@code java}; {@code native} makes its absence an error instead of a
 * fallback. DOUBLE (the tests' references) always takes the Java kernels.
 */
public final class NativeKernels {
  /** {@code auto} (default), {@code native} or {@code java}. */
  public static final String PROPERTY = "mesm.sparse.kernel";
  static final String LIBRARY = "libmesm_sparse.so";
  private static final String[] LEVELS = {"none", "avx2", "avx512"};

  private static final Availability AVAILABILITY = load();
  private static volatile boolean enabled = choose(PROPERTY, System.getProperty(PROPERTY, "auto"));
  /** What turned the native kernel off when it is available, for {@link #describe}. */
  private static volatile String offBy = PROPERTY + "=java";

  private NativeKernels() {}

  /**
   * What loading found: the instruction set the kernel runs with (0 = none) with the widest input
   * it takes and its weight-gradient tile's channels, or why it does not run.
   */
  private record Availability(int level, int maxChannels, int gradientBlock, String reason) {
    static Availability none(String reason) {
      return new Availability(0, 0, 1, reason);
    }
  }

  /** 2 = AVX-512, 1 = AVX2 + FMA, 0 = neither. */
  static native int level();

  static native int maxInputChannels();

  /**
   * y[t, colFrom..colTo) for the sites t in [siteFrom, siteTo), from the rulebook's neighbour
   * table ({@link Rulebook#neighbours()}); x [n, cin], w [9·cin, cout], y [n, cout]: c-order at the
   * given native addresses.
   * With {@code scale} and {@code shift} ([cout], or both null) y becomes max(0, y·scale + shift),
   * inference BatchNorm and ReLU applied while the rows are still in cache.
   */
  static native void convolve(int level, long x, int cin, int[] neighbours, int siteFrom, int siteTo, int colFrom,
      int colTo, long w, int cout, long y, float[] scale, float[] shift);

  /**
   * MESM's attention scores of sites [from, to): tanh(x·Wx + query[frame]·Wq + bx)·v + b, with
   * {@code query} [frames, d] the text query of each frame and {@code frameStarts} as
   * {@link SparseSites#frameStart}; writes scores [n] and, unless {@code hidden} is 0, the hidden
   * layer tanh(·) [n, cin]. AVX-512 only ({@link #appliesToAttention}).
   */
  static native void attentionScores(long x, int cin, long wx, long query, int d, long wq, long bx, int[] frameStarts,
      int frames, long v, float bias, int from, int to, long scores, long hidden);

  /**
   * Inference max-pool of outputs [from, to): out[o] = max(0, the rows window[o·4 + q] of x) per
   * channel ({@link SparseMaxPool.Plan#window()}, −1 where inactive); x [n, channels], out [nOut,
   * channels] at native addresses.
   */
  static native void maxPool(long x, int channels, int[] window, int from, int to, long out);

  /**
   * Frames [from, to) of a [frames, channels, cells] map from site rows x [n, channels]: cell p of
   * frame f holds row siteAt[f·cells + p] ({@link SparseSites#siteAtGrid()}), 0 where that is −1.
   */
  static native void toDense(long x, int channels, int[] siteAt, int cells, int from, int to, long out);

  /** Whether the attention scores of these FLOAT rows run natively: the AVX-512 kernel only. */
  static boolean appliesToAttention(INDArray rows) {
    return appliesTo(rows, rows.size(1)) && AVAILABILITY.level() >= 2;
  }

  /** Input channels per weight-gradient tile at {@code level}: the weight gradient runs natively only for multiples. */
  static native int gradientChannelBlock(int level);

  /**
   * dW rows k·cin + c for c in [cFrom, cTo) and every offset k, overwritten: Σ over the offset's
   * pairs (t, s) of x[s, c]·dy[t, :]. x [n, cin], dy [n, cout], dW [9·cin, cout]: c-order at native
   * addresses; neighbours as for {@link #convolve}; cFrom and cTo multiples of
   * {@link #gradientChannelBlock}.
   */
  static native void weightGradient(int level, long x, int cin, long dy, int cout, int[] neighbours, int sites,
      int cFrom, int cTo, long dw);

  /** Whether the weight gradient of these FLOAT arrays runs natively (Cin a multiple of the tile's channels). */
  static boolean appliesToGradient(INDArray x, long cin) {
    return appliesTo(x, cin) && cin % AVAILABILITY.gradientBlock() == 0;
  }

  /** Whether the convolutions of these FLOAT arrays run natively. */
  static boolean appliesTo(INDArray rows, long cin) {
    return enabled && rows.dataType() == DataType.FLOAT && cin <= AVAILABILITY.maxChannels();
  }

  /** The kernel's weight-gradient tile's input channels at the active level. */
  static int gradientBlock() {
    return AVAILABILITY.gradientBlock();
  }

  /** The kernel's instruction set; 0 when it is not used. */
  static int activeLevel() {
    return enabled ? AVAILABILITY.level() : 0;
  }

  /**
   * Turns the native kernel on or off for this JVM (benchmarks compare both in one run); returns
   * the previous setting. Turning it on where it is unavailable fails with the reason.
   */
  public static boolean use(boolean on) {
    if (on) requireAvailable();
    boolean before = enabled;
    enabled = on;
    return before;
  }

  /**
   * Applies mesm.model.mesm.kernels to this JVM: {@code native}, {@code java}, or {@code auto}, which
   * leaves the choice to {@value #PROPERTY} when the JVM sets it (as before the setting existed) and
   * otherwise takes the native kernel when it loaded. Idempotent, so each Spark task may call it.
   *
   * @throws IllegalStateException for {@code native} where the kernel is unavailable, with the reason
   */
  public static void configure(String setting) {
    String s = setting.trim().toLowerCase(Locale.ROOT);
    boolean fromProperty = s.equals("auto") || s.isEmpty();
    boolean on = fromProperty ? choose(PROPERTY, System.getProperty(PROPERTY, "auto")) : choose(MESM_KERNELS, s);
    offBy = fromProperty ? PROPERTY + "=java" : MESM_KERNELS + " = java";
    enabled = on;
  }

  public static boolean available() {
    return AVAILABILITY.level() > 0;
  }

  /** One line for logs and benchmark output: which kernel runs and why. */
  public static String describe() {
    if (enabled) return "native (" + LEVELS[AVAILABILITY.level()] + ")";
    return available() ? "java (" + offBy + ")" : "java (native kernel unavailable: " + AVAILABILITY.reason() + ")";
  }

  private static boolean choose(String name, String setting) {
    switch (setting.trim().toLowerCase(Locale.ROOT)) {
      case "java":
        return false;
      case "native":
        requireAvailable();
        return true;
      case "auto":
      case "":
        return available();
      default:
        throw new IllegalArgumentException(name + " must be auto, native or java, not '" + setting + "'");
    }
  }

  private static void requireAvailable() {
    if (!available()) {
      throw new IllegalStateException("the native sparse kernel is unavailable: " + AVAILABILITY.reason()
          + " (build with a C compiler on x86-64 Linux, or set " + MESM_KERNELS + " = java)");
    }
  }

  private static Availability load() {
    if (!org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU()) {
      // A GPU backend's buffers live on the device; the kernel reads host memory.
      return Availability.none("ND4J runs on a GPU backend here, and the native kernel is for CPU arrays");
    }
    String failed = NativeLibrary.load(NativeKernels.class, LIBRARY);
    if (!failed.isEmpty()) return Availability.none(failed);
    int level = level();
    return level > 0 ? new Availability(level, maxInputChannels(), gradientChannelBlock(level), "")
        : Availability.none("this CPU has neither AVX2 with FMA nor AVX-512");
  }
}
