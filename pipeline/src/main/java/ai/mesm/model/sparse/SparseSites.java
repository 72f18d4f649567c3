package ai.mesm.model.sparse;

import java.util.Arrays;

/**
 * The active sites of a batch of frames (or spectrogram chunks) on an H×W grid, in one canonical
 * order: by frame, then row, then column. Feature matrices that go with a {@code SparseSites} have
 * one row per site in exactly this order, so coordinates and features cannot drift apart (the
 * reference's first block scrambled them when a batch held more than one frame, fixed here: docs/computation.md#mesm).
 */
public final class SparseSites {
  /** 3×3 neighbourhood offsets in row-major order; offset 8 − k is the mirror of offset k. */
  static final int[] DH = {-1, -1, -1, 0, 0, 0, 1, 1, 1};
  static final int[] DW = {-1, 0, 1, -1, 0, 1, -1, 0, 1};
  public static final int KERNEL_OFFSETS = 9;

  private final int frames;
  private final int height;
  private final int width;
  private final int[] frame;
  private final int[] row;
  private final int[] col;
  private final int[] frameStart;

  private SparseSites(int frames, int height, int width, int[] frame, int[] row, int[] col) {
    this.frames = frames;
    this.height = height;
    this.width = width;
    this.frame = frame;
    this.row = row;
    this.col = col;
    this.frameStart = new int[frames + 1];
    for (int f : frame) frameStart[f + 1]++;
    for (int f = 0; f < frames; f++) frameStart[f + 1] += frameStart[f];
  }

  /** Every site of every frame active: the dense input of the first sparse block. */
  public static SparseSites all(int frames, int height, int width) {
    int n = frames * height * width;
    int[] f = new int[n];
    int[] r = new int[n];
    int[] c = new int[n];
    // Nested loops, not three integer divisions per site: block 1 of a batch of spectrograms has ~60,000 sites.
    int i = 0;
    for (int fr = 0; fr < frames; fr++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++, i++) {
          f[i] = fr;
          r[i] = y;
          c[i] = x;
        }
      }
    }
    return new SparseSites(frames, height, width, f, r, c);
  }

  /** The sites whose flag is set (flags in site order); order is preserved. */
  public SparseSites subset(boolean[] keep) {
    if (keep.length != size()) throw new IllegalArgumentException(keep.length + " flags for " + size() + " sites");
    return subset(indexOf(keep));
  }

  /**
   * The indices of the set flags, in order. Branch-free: about a third of the sites is kept, in no
   * predictable pattern, and a branch per site mispredicted often enough to cost ~3 ns per site.
   */
  public static int[] indexOf(boolean[] flags) {
    int n = 0;
    for (boolean k : flags) n += k ? 1 : 0;
    int[] index = new int[n + 1]; // the last slot takes the writes after the last kept site
    int j = 0;
    for (int i = 0; i < flags.length; i++) {
      index[j] = i;
      j += flags[i] ? 1 : 0;
    }
    return Arrays.copyOf(index, n);
  }

  /** The sites {@code index} (increasing site indices), in that order. */
  public SparseSites subset(int[] index) {
    int n = index.length;
    int[] f = new int[n];
    int[] r = new int[n];
    int[] c = new int[n];
    for (int j = 0; j < n; j++) {
      int i = index[j];
      f[j] = frame[i];
      r[j] = row[i];
      c[j] = col[i];
    }
    return new SparseSites(frames, height, width, f, r, c);
  }

  /** Sites from a dense [frames × H × W] activity grid (frame-major, row-major). */
  public static SparseSites fromGrid(int frames, int height, int width, boolean[] active) {
    return all(frames, height, width).subset(active);
  }

  public int size() {
    return frame.length;
  }

  public int frames() {
    return frames;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int frame(int site) {
    return frame[site];
  }

  public int row(int site) {
    return row[site];
  }

  public int col(int site) {
    return col[site];
  }

  /** {@link #frameStart} of every frame and, last, the number of sites: read-only, for the native kernels. */
  int[] frameStarts() {
    return frameStart;
  }

  /** First site of {@code f}; the sites of frame f are [frameStart(f), frameStart(f + 1)). */
  public int frameStart(int f) {
    return frameStart[f];
  }

  /** Index into a dense [frames, H, W] grid. */
  public int gridIndex(int site) {
    return (frame[site] * height + row[site]) * width + col[site];
  }

  /** Site index at every grid position, −1 where inactive. */
  int[] siteAtGrid() {
    int[] grid = new int[frames * height * width];
    Arrays.fill(grid, -1);
    for (int i = 0; i < size(); i++) grid[gridIndex(i)] = i;
    return grid;
  }

  /**
   * For site i and offset k, the active site at (row + DH[k], col + DW[k]) of the same frame, or −1:
   * the rulebook of a submanifold 3×3 convolution, as {@code [i * 9 + k]}.
   */
  public int[] neighbours() {
    int[] grid = siteAtGrid();
    int[] nbr = new int[size() * KERNEL_OFFSETS];
    int[] step = new int[KERNEL_OFFSETS];
    for (int k = 0; k < KERNEL_OFFSETS; k++) step[k] = DH[k] * width + DW[k];
    Rows.inParts(size(), NEIGHBOUR_SITES_PER_PART, (from, to) -> {
      for (int i = from; i < to; i++) {
        int at = (frame[i] * height + row[i]) * width + col[i];
        int o = i * KERNEL_OFFSETS;
        if (row[i] > 0 && row[i] < height - 1 && col[i] > 0 && col[i] < width - 1) {
          // Inside the border every offset lands in the frame: no bounds to check.
          for (int k = 0; k < KERNEL_OFFSETS; k++) nbr[o + k] = grid[at + step[k]];
          continue;
        }
        for (int k = 0; k < KERNEL_OFFSETS; k++) {
          int r = row[i] + DH[k];
          int c = col[i] + DW[k];
          nbr[o + k] = r < 0 || r >= height || c < 0 || c >= width ? -1 : grid[at + step[k]];
        }
      }
    });
    return nbr;
  }

  /** Fewer sites per part and the hand-off would cost more than the table (~10 ns per site). */
  private static final int NEIGHBOUR_SITES_PER_PART = 2048;

  /** Number of (site, active neighbour) pairs: the multiply-add count of a 3×3 submanifold conv is this × Cin × Cout. */
  public static long pairs(int[] neighbours) {
    long n = 0;
    for (int j : neighbours) if (j >= 0) n++;
    return n;
  }

  /** The 2×2 max-pool of these sites: an output site is active iff any input in its window is. */
  public SparseMaxPool.Plan poolPlan() {
    int h2 = height / 2;
    int w2 = width / 2;
    boolean[] active = new boolean[frames * h2 * w2];
    for (int i = 0; i < size(); i++) {
      if (row[i] / 2 < h2 && col[i] / 2 < w2) active[(frame[i] * h2 + row[i] / 2) * w2 + col[i] / 2] = true;
    }
    SparseSites out = fromGrid(frames, h2, w2, active);
    int[] outAtGrid = out.siteAtGrid();
    int[] window = new int[out.size() * 4];
    Arrays.fill(window, -1);
    int[] parent = new int[size()];
    int[] position = new int[size()];
    for (int i = 0; i < size(); i++) {
      int r = row[i] / 2;
      int c = col[i] / 2;
      if (r >= h2 || c >= w2) {
        parent[i] = -1; // an odd last row/column falls outside every window, as in a dense pool
        continue;
      }
      int o = outAtGrid[(frame[i] * h2 + r) * w2 + c];
      int q = (row[i] % 2) * 2 + col[i] % 2;
      parent[i] = o;
      position[i] = q;
      window[o * 4 + q] = i;
    }
    return new SparseMaxPool.Plan(out, window, parent, position);
  }
}
