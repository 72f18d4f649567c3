package ai.mesm.media.face;

import java.awt.image.BufferedImage;

/**
 * Summed-area tables of a frame's blue, green and red values (each pixel's three sums in the
 * decoded frame's byte order): the sum over any rectangle of pixels in four reads, whatever its
 * size. MTCNN's area resampling averages rectangles of source pixels
 * (a whole frame per pyramid level, a whole face per R-Net and O-Net crop), so with these sums its
 * cost follows the number of output cells instead of the pixels read. The sums are exact integers,
 * so every average equals the one computed pixel by pixel.
 *
 * <p>The tables are 32-bit and may wrap around on large frames: a rectangle's sum is taken modulo
 * 2^32 and read as unsigned, which is exact while the rectangle's true sum stays below 2^32, i.e.
 * for rectangles under {@value #MAX_EXACT_AREA} pixels. MTCNN's rectangles are one resampled cell
 * (at most 1/144 of the frame at the coarsest pyramid level) or one crop cell of a face box, far
 * below that; 64-bit tables cost twice the memory traffic, and building them was ~45 % of a tracked
 * search at 1280x720 (docs/performance.md).
 *
 * <p>A decoded frame's tables are built by the native kernel where MTCNN's layers run on it with
 * AVX-512 ({@link MtcnnKernels#summedRows}: a row's running sums vectorised), other images' and
 * everything else by the Java loop; both give the same integers.
 *
 * <p>A search near a known face loads only a region around it ({@link #load(BufferedImage, int,
 * int, int, int)}); a rectangle that reaches outside it loads the whole frame first ({@link
 * #require}). Reused from frame to frame (one per detector, which is used by one thread).
 */
final class PixelSums {
  /** Rectangles up to this many pixels sum exactly (255 per channel value, below 2^32). */
  static final long MAX_EXACT_AREA = (1L << 32) / 256;
  private int[] sums = new int[0];
  private int[] row = new int[0];
  private byte[] rowBytes = new byte[0];
  private int[] prefix = new int[0];
  /** Whether a decoded frame's rows go through the native kernel. */
  private final boolean nativeRows;
  private BufferedImage image;
  /** The loaded region: columns [left, left + width), rows [top, top + height) of the frame. */
  private int left;
  private int top;
  private int width;
  private int height;

  /** For MTCNN's layers at {@code level} (0 ND4J, 1 AVX2, 2 AVX-512): the native rows at 2, the Java loop otherwise. */
  PixelSums(int level) {
    this.nativeRows = MtcnnKernels.summedRowsAvailable(level);
  }

  /** Fills the tables from the whole frame; cost: one pass over its pixels. */
  void load(BufferedImage frame) {
    load(frame, 0, 0, frame.getHeight(), frame.getWidth());
  }

  /** Fills the tables from rows [y0, y1) and columns [x0, x1) of the frame (clipped to it). */
  void load(BufferedImage frame, int y0, int x0, int y1, int x1) {
    image = frame;
    top = Math.max(0, y0);
    left = Math.max(0, x0);
    height = Math.max(0, Math.min(frame.getHeight(), y1) - top);
    width = Math.max(0, Math.min(frame.getWidth(), x1) - left);
    int stride = (width + 1) * 3;
    int size = stride * (height + 1);
    if (sums.length < size) sums = new int[size];
    java.util.Arrays.fill(sums, 0, stride, 0);
    RgbBytes.Bgr bgr = RgbBytes.bgr(frame);
    if (bgr != null && nativeRows) {
      MtcnnKernels.summedRows(bgr.data(), bgr.at(left, top), bgr.scan(), width, height, sums, stride);
    } else if (bgr != null) {
      for (int y = 0; y < height; y++) addRow(y, bgr.data(), bgr.at(left, top + y), stride);
    } else {
      loadRgb(frame, stride);
    }
  }

  /** The frame's size. */
  int frameWidth() {
    return image.getWidth();
  }

  int frameHeight() {
    return image.getHeight();
  }

  /** Loads the whole frame unless rows [y0, y1) and columns [x0, x1) are loaded already. */
  void require(int y0, int x0, int y1, int x1) {
    if (y0 < top || x0 < left || y1 > top + height || x1 > left + width) load(image);
  }

  /**
   * The sum of channel c (0 red, 1 green, 2 blue) over rows [y0, y1) and columns [x0, x1) of the
   * frame, which must be loaded ({@link #require}).
   */
  long sum(int c, int y0, int x0, int y1, int x1) {
    exactArea(y0, x0, y1, x1);
    int stride = (width + 1) * 3;
    int r0 = (y0 - top) * stride;
    int r1 = (y1 - top) * stride;
    int c0 = (x0 - left) * 3 + BLUE_GREEN_RED[c];
    int c1 = (x1 - left) * 3 + BLUE_GREEN_RED[c];
    return Integer.toUnsignedLong(sums[r1 + c1] - sums[r0 + c1] - sums[r1 + c0] + sums[r0 + c0]);
  }

  /**
   * The mean of red, green and blue over rows [y0, y1) and columns [x0, x1) of the frame, which
   * must be loaded, written to {@code out} from {@code at}: {@link #sum}'s values over the
   * rectangle's pixel count, with the rectangle's corners found once for the three channels.
   */
  void mean(int y0, int x0, int y1, int x1, float[] out, int at) {
    double count = exactArea(y0, x0, y1, x1);
    int stride = (width + 1) * 3;
    int a = (y0 - top) * stride + (x0 - left) * 3;
    int b = (y0 - top) * stride + (x1 - left) * 3;
    int c = (y1 - top) * stride + (x0 - left) * 3;
    int d = (y1 - top) * stride + (x1 - left) * 3;
    int[] t = sums;
    for (int k = 0; k < 3; k++) {
      int o = BLUE_GREEN_RED[k];
      out[at + k] = (float) (Integer.toUnsignedLong(t[d + o] - t[b + o] - t[c + o] + t[a + o]) / count);
    }
  }

  /** Where red, green and blue sit among a pixel's three sums. */
  private static final int[] BLUE_GREEN_RED = {2, 1, 0};

  /** The rectangle's pixel count, refused where its sums could pass 2^32. */
  private static long exactArea(int y0, int x0, int y1, int x1) {
    long area = (long) (y1 - y0) * (x1 - x0);
    if (area > MAX_EXACT_AREA) {
      throw new IllegalArgumentException("a rectangle of " + (y1 - y0) + "x" + (x1 - x0) + " pixels is too large to sum exactly");
    }
    return area;
  }

  /** Any other image type, through its colour model, one row at a time as BGR bytes. */
  private void loadRgb(BufferedImage image, int stride) {
    if (row.length < width) row = new int[width];
    if (rowBytes.length < 3 * width) rowBytes = new byte[3 * width];
    for (int y = 0; y < height; y++) {
      image.getRGB(left, top + y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        rowBytes[3 * x] = (byte) row[x];
        rowBytes[3 * x + 1] = (byte) (row[x] >> 8);
        rowBytes[3 * x + 2] = (byte) (row[x] >> 16);
      }
      addRow(y, rowBytes, 0, stride);
    }
  }

  /**
   * Table row y + 1 from row y and the loaded region's row y: pixels of 3 bytes (blue, green, red)
   * from {@code from} in {@code data}.
   */
  private void addRow(int y, byte[] data, int from, int stride) {
    int n = 3 * width;
    if (prefix.length < n) prefix = new int[n];
    int[] p = prefix;
    int sr = 0;
    int sg = 0;
    int sb = 0;
    // The row's running sums first (three dependency chains), then the table row as the row above
    // plus them: a loop without a carried dependency, which the JIT vectorises.
    for (int i = 0, in = from; i < n; i += 3, in += 3) {
      sb += data[in] & 0xff;
      sg += data[in + 1] & 0xff;
      sr += data[in + 2] & 0xff;
      p[i] = sb;
      p[i + 1] = sg;
      p[i + 2] = sr;
    }
    int above = y * stride + 3;
    int at = above + stride;
    int[] t = sums;
    for (int i = 0; i < n; i++) t[at + i] = t[above + i] + p[i];
    t[(y + 1) * stride] = 0;
    t[(y + 1) * stride + 1] = 0;
    t[(y + 1) * stride + 2] = 0;
  }
}
