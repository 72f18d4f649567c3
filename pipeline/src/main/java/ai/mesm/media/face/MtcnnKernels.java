package ai.mesm.media.face;

import ai.mesm.io.NativeLibrary;

/**
 * The native MTCNN layers ({@code pipeline/src/main/c/mesm_mtcnn.c}): a valid convolution with
 * bias and PReLU in one pass, and max-pooling, over NHWC arrays whose channels are padded to a
 * multiple of 16. Every length is checked here against the shapes, so the native code never reads
 * or writes outside an array.
 */
final class MtcnnKernels {
  static final String LIBRARY = "libmesm_mtcnn.so";
  /** Channels per vector in the native layout. */
  static final int LANES = 16;
  private static final String[] LEVELS = {"none", "avx2", "avx512"};
  private static final String UNAVAILABLE;
  private static final int LEVEL;

  static {
    String failed = NativeLibrary.load(MtcnnKernels.class, LIBRARY);
    int level = failed.isEmpty() ? cpuLevel() : 0;
    LEVEL = level;
    UNAVAILABLE = !failed.isEmpty() ? failed : level == 0 ? "this CPU has neither AVX2 with FMA nor AVX-512" : "";
  }

  private MtcnnKernels() {}

  static boolean available() {
    return LEVEL > 0;
  }

  /** Why the native layers do not run here; empty when they do. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  static String levelName() {
    return LEVELS[LEVEL];
  }

  /** The CPU's level, 0 where the library did not load. */
  static int level() {
    return LEVEL;
  }

  private static void requireLevel(int level) {
    if (level < 1 || level > LEVEL) {
      throw new IllegalStateException("the native MTCNN layers cannot run at level " + level + " here (this CPU: "
          + LEVELS[LEVEL] + (UNAVAILABLE.isEmpty() ? "" : "; " + UNAVAILABLE) + ")");
    }
  }

  static int padded(int channels) {
    return (channels + LANES - 1) / LANES * LANES;
  }

  private static native int cpuLevel();

  private static native void convPrelu(int level, float[] in, int n, int h, int w, int cin, float[] weights, int k,
      int cp, float[] bias, float[] slope, float[] out);

  private static native void maxPool(int level, float[] in, int n, int h, int w, int cp, int k, int s, int oh, int ow,
      float[] out);

  private static native void summedRowsAvx512(byte[] data, int from, int scan, int width, int height, int[] sums,
      int stride);

  /** Whether {@link #summedRows} runs here: it needs AVX-512 (at AVX2 the Java loop is as fast). */
  static boolean summedRowsAvailable(int level) {
    return level == 2 && LEVEL == 2;
  }

  /**
   * Rows 1 to {@code height} of the summed-area tables of a 3-byte-per-pixel image ({@link
   * PixelSums}): pixel (x, y) at {@code from + y·scan + 3x} of {@code data}; table row y + 1 is row
   * y (which must be filled, row 0 with zeros) plus the running sums of image row y, each of the
   * three bytes summed on its own, after one pixel of zeros; rows are {@code stride = 3·(width + 1)}
   * ints apart.
   */
  static void summedRows(byte[] data, int from, int scan, int width, int height, int[] sums, int stride) {
    if (!summedRowsAvailable(2)) {
      throw new IllegalStateException("the native summed-area rows need AVX-512 (this CPU: " + LEVELS[LEVEL]
          + (UNAVAILABLE.isEmpty() ? "" : "; " + UNAVAILABLE) + ")");
    }
    if (width < 0 || height < 0 || from < 0 || scan < 3 * width || stride != 3 * (width + 1)
        || (height > 0 && (long) from + (long) (height - 1) * scan + 3L * width > data.length)
        || (long) stride * (height + 1) > sums.length) {
      throw new IllegalArgumentException("summed-area rows of " + width + "x" + height + " pixels from " + from + " (scan "
          + scan + ") of " + data.length + " bytes into " + sums.length + " sums (stride " + stride + ")");
    }
    summedRowsAvx512(data, from, scan, width, height, sums, stride);
  }

  /** A convolution's weights in the kernel's layout, [ky][kx][cin][cp], with bias and slope padded to cp. */
  record Conv(float[] weights, int k, int cin, int cp, float[] bias, float[] slope) {}

  /**
   * Activations [n, h, w, c], c-order, in the first n·h·w·c values of {@code v}: a buffer reused
   * from search to search may be longer than the activations it holds now.
   */
  record Act(float[] v, int n, int h, int w, int c) {
    Act {
      if (n < 0 || h < 0 || w < 0 || c < 0 || (long) n * h * w * c > v.length) {
        throw new IllegalArgumentException("activations of " + v.length + " values for [" + n + ", " + h + ", " + w
            + ", " + c + "]");
      }
    }

    int size() {
      return n * h * w * c;
    }
  }

  static Act convPrelu(Act x, Conv c) {
    return convPrelu(x, c, LEVEL);
  }

  /** At a given instruction-set level (1 = AVX2, 2 = AVX-512; at most the CPU's), so tests can compare both. */
  static Act convPrelu(Act x, Conv c, int level) {
    return convPrelu(x, c, null, level);
  }

  /** Into {@code out} where it is long enough (a buffer kept across calls), else into a new array. */
  static Act convPrelu(Act x, Conv c, float[] out) {
    return convPrelu(x, c, out, LEVEL);
  }

  private static Act convPrelu(Act x, Conv c, float[] out, int level) {
    requireLevel(level);
    if (x.c() != c.cin()) throw new IllegalArgumentException("input has " + x.c() + " channels, the layer " + c.cin());
    if (c.cp() % LANES != 0 || c.bias().length != c.cp() || c.slope().length != c.cp()
        || c.weights().length != c.k() * c.k() * c.cin() * c.cp()) {
      throw new IllegalArgumentException("layer arrays do not match k " + c.k() + ", cin " + c.cin() + ", cp " + c.cp());
    }
    int oh = x.h() - c.k() + 1;
    int ow = x.w() - c.k() + 1;
    if (oh < 1 || ow < 1) throw new IllegalArgumentException(x.h() + "x" + x.w() + " is smaller than the kernel " + c.k());
    out = atLeast(out, Math.multiplyExact(Math.multiplyExact(x.n() * oh, ow), c.cp()));
    convPrelu(level, x.v(), x.n(), x.h(), x.w(), x.c(), c.weights(), c.k(), c.cp(), c.bias(), c.slope(), out);
    return new Act(out, x.n(), oh, ow, c.cp());
  }

  /** PyTorch's MaxPool2d(k, s, ceil_mode=True), as {@link MtcnnNets#pooledSize}. */
  static Act maxPool(Act x, int k, int s) {
    return maxPool(x, k, s, LEVEL);
  }

  static Act maxPool(Act x, int k, int s, int level) {
    return maxPool(x, k, s, null, level);
  }

  /** Into {@code out} where it is long enough, as {@link #convPrelu(Act, Conv, float[])}. */
  static Act maxPool(Act x, int k, int s, float[] out) {
    return maxPool(x, k, s, out, LEVEL);
  }

  private static Act maxPool(Act x, int k, int s, float[] out, int level) {
    requireLevel(level);
    if (x.c() % LANES != 0) throw new IllegalArgumentException("pooling needs channels padded to " + LANES);
    int oh = MtcnnNets.pooledSize(x.h(), k, s);
    int ow = MtcnnNets.pooledSize(x.w(), k, s);
    out = atLeast(out, Math.multiplyExact(Math.multiplyExact(x.n() * oh, ow), x.c()));
    maxPool(level, x.v(), x.n(), x.h(), x.w(), x.c(), k, s, oh, ow, out);
    return new Act(out, x.n(), oh, ow, x.c());
  }

  /** {@code buffer} when it holds at least {@code length} values, else a new array of that length. */
  static float[] atLeast(float[] buffer, int length) {
    return buffer != null && buffer.length >= length ? buffer : new float[length];
  }
}
