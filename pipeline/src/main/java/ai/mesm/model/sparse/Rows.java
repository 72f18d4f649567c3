package ai.mesm.model.sparse;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row gathers and row sums, the only data movement the sparse kernels need (sums never target a
 * row twice in one call, so there are no write races).
 * Copies rows straight between the arrays' native buffers: ND4J's pullRows and gather op ran at
 * under 1 GB/s on rows of 16–64 values here.
 */
public final class Rows {
  private Rows() {}

  /**
   * This thread's reusable heap buffers: arrays that are alive at the same time need different
   * slots. Fresh arrays of megabytes are "humongous" for G1 and had to be zeroed and faulted in:
   * reusing them made copying a [25 000, 128] matrix to the heap ~5x faster here.
   */
  enum Slot { INPUT, SUM, SECOND, ADDEND, TANH, NORM }

  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[Slot.values().length][0]);
  private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[Slot.values().length][0]);

  /** This thread's float buffer {@code slot} with at least {@code n} elements: valid until the next call for that slot. */
  static float[] heldFloats(Slot slot, int n) {
    float[][] held = FLOATS.get();
    int i = slot.ordinal();
    if (held[i].length < n) held[i] = new float[Math.max(n, held[i].length + held[i].length / 2)];
    return held[i];
  }

  /** As {@link #heldFloats}, for doubles. */
  static double[] heldDoubles(Slot slot, int n) {
    double[][] held = DOUBLES.get();
    int i = slot.ordinal();
    if (held[i].length < n) held[i] = new double[Math.max(n, held[i].length + held[i].length / 2)];
    return held[i];
  }

  /** A matrix's rows as a Java array (possibly longer than the matrix), read once for many gathers. */
  record Source(float[] floats, double[] doubles, int channels) {
    double value(int flatIndex) {
      return floats != null ? floats[flatIndex] : doubles[flatIndex];
    }

    /** A copy in a new array: for results that outlive the call. */
    static Source of(INDArray src) {
      return copy(src, null);
    }

    /** A copy in this thread's buffer {@code slot}: valid until the next call for that slot on this thread. */
    static Source reused(INDArray src, Slot slot) {
      return copy(src, slot);
    }

    private static Source copy(INDArray src, Slot slot) {
      return copyRows(contiguous(src), slot, 0, (int) src.size(0));
    }

    /** Rows [from, to) of a c-order, offset-0 matrix, in {@code slot} (a new array if null). */
    static Source copyRows(INDArray matrix, Slot slot, int from, int to) {
      int c = (int) matrix.size(1);
      int n = (to - from) * c;
      return switch (matrix.dataType()) {
        case FLOAT -> {
          float[] f = slot == null ? new float[n] : heldFloats(slot, n);
          matrix.data().asNioFloat().get(from * c, f, 0, n);
          yield new Source(f, null, c);
        }
        case DOUBLE -> {
          double[] d = slot == null ? new double[n] : heldDoubles(slot, n);
          matrix.data().asNioDouble().get(from * c, d, 0, n);
          yield new Source(null, d, c);
        }
        default -> throw new IllegalArgumentException("sparse kernels take FLOAT or DOUBLE, got " + matrix.dataType());
      };
    }
  }

  /**
   * Rows [first, first + rows) of a matrix copied to the heap to add rows into, then written back
   * to native memory once. Callers keep the range small enough to stay in cache while many adds
   * land in it: adding into a whole [n, C] copy streamed it from memory once per kernel offset.
   */
  record Accumulator(float[] floats, double[] doubles, int channels, int first, int rows) {
    /** Fewer added rows per part than this and splitting them over threads cost more than it saved. */
    private static final int MIN_ROWS_PER_PART = 256;

    /** Rows [from, to) of {@code matrix} (c-order, offset 0) in this thread's {@link Slot#SUM} buffer. */
    static Accumulator of(INDArray matrix, int from, int to) {
      Source rows = Source.copyRows(matrix, Slot.SUM, from, to);
      return new Accumulator(rows.floats(), rows.doubles(), rows.channels(), from, to - from);
    }

    /**
     * {@code this[targets[r]] += rows[r − lo]} for lo ≤ r < hi, each target inside this range;
     * rows is [≥ hi − lo, C], c-order, contiguous from its offset.
     */
    void addRows(INDArray rows, int[] targets, int lo, int hi) {
      int c = channels;
      int m = hi - lo;
      int offset = (int) rows.offset();
      int base = first;
      if (floats != null) {
        float[] sums = heldFloats(Slot.ADDEND, m * c);
        rows.data().asNioFloat().get(offset, sums, 0, m * c);
        // Targets of one call never repeat, so the parts write disjoint rows.
        inParts(m, MIN_ROWS_PER_PART, (from, to) -> {
          for (int r = from; r < to; r++) {
            int t = (targets[lo + r] - base) * c;
            int a = r * c;
            for (int k = 0; k < c; k++) floats[t + k] += sums[a + k];
          }
        });
      } else {
        double[] sums = heldDoubles(Slot.ADDEND, m * c);
        rows.data().asNioDouble().get(offset, sums, 0, m * c);
        inParts(m, MIN_ROWS_PER_PART, (from, to) -> {
          for (int r = from; r < to; r++) {
            int t = (targets[lo + r] - base) * c;
            int a = r * c;
            for (int k = 0; k < c; k++) doubles[t + k] += sums[a + k];
          }
        });
      }
    }

    /** Writes the sums back into their rows of {@code out} (c-order, offset 0) and returns it. */
    INDArray writeTo(INDArray out) {
      if (floats != null) out.data().asNioFloat().put(first * channels, floats, 0, rows * channels);
      else out.data().asNioDouble().put(first * channels, doubles, 0, rows * channels);
      return out;
    }
  }

  /** {@code out[j] = src[index[j]]}, or a zero row where {@code index[j] < 0}; src is [n, C]. */
  static INDArray gather(INDArray src, int[] index) {
    INDArray out = Nd4j.createUninitialized(src.dataType(), index.length, src.size(1));
    if (NativeArrays.inPlace(src)) {
      gatherInPlace(src, index, out);
    } else {
      gatherInto(Source.reused(src, Slot.INPUT), index, 0, index.length, out);
    }
    return out;
  }

  /**
   * A FLOAT gather buffer to buffer, each row one bulk copy: copying the whole source to the heap
   * first cost more than the gather when few rows are taken (block 1 keeps ~10 % of a batch of
   * spectrograms' ~60,000 sites at p = 0.5).
   */
  private static void gatherInPlace(INDArray src, int[] index, INDArray out) {
    int c = (int) src.size(1);
    long srcOffset = src.offset();
    long outOffset = out.offset();
    inParts(index.length, (a, b) -> {
      FloatBuffer in = src.data().asNioFloat();
      FloatBuffer dst = out.data().asNioFloat();
      float[] zeros = new float[c];
      for (int j = a; j < b; j++) {
        int at = (int) (outOffset + (long) j * c);
        if (index[j] < 0) dst.put(at, zeros, 0, c);
        else dst.put(at, in, (int) (srcOffset + (long) index[j] * c), c);
      }
    });
  }

  /** Rows {@code index[from..to)} of src into {@code out} ([to − from, C], c-order, contiguous from its offset). */
  static void gatherInto(Source src, int[] index, int from, int to, INDArray out) {
    int c = src.channels();
    long outOffset = out.offset();
    inParts(to - from, (a, b) -> {
      if (src.floats() != null) {
        float[] in = src.floats();
        FloatBuffer dst = out.data().asNioFloat();
        float[] zeros = new float[c];
        for (int j = from + a; j < from + b; j++) {
          int at = (int) (outOffset + (long) (j - from) * c);
          if (index[j] < 0) dst.put(at, zeros, 0, c);
          else dst.put(at, in, index[j] * c, c);
        }
      } else {
        double[] in = src.doubles();
        DoubleBuffer dst = out.data().asNioDouble();
        double[] zeros = new double[c];
        for (int j = from + a; j < from + b; j++) {
          int at = (int) (outOffset + (long) (j - from) * c);
          if (index[j] < 0) dst.put(at, zeros, 0, c);
          else dst.put(at, in, index[j] * c, c);
        }
      }
    });
  }

  /** A block of rows on the heap: rows [from, from + count) of a matrix as {@code rows[0 .. count·C)}. */
  @FunctionalInterface
  interface HeldBlock {
    void run(float[] rows, int from, int count);
  }

  /**
   * Runs {@code body} over a FLOAT matrix (c-order, offset 0) {@code rowsPerBlock} rows at a time,
   * split over the cores (at least one block per part), each block copied into the thread's
   * {@code slot} buffer so the pass stays in cache, and written back if {@code writeBack}.
   */
  static void inHeldBlocks(INDArray matrix, int rowsPerBlock, Slot slot, boolean writeBack, HeldBlock body) {
    int n = (int) matrix.size(0);
    int c = (int) matrix.size(1);
    FloatBuffer buffer = matrix.data().asNioFloat();
    inParts(n, rowsPerBlock, (first, last) -> {
      float[] rows = heldFloats(slot, rowsPerBlock * c);
      for (int from = first; from < last; from += rowsPerBlock) {
        int count = Math.min(rowsPerBlock, last - from);
        buffer.get(from * c, rows, 0, count * c);
        body.run(rows, from, count);
        if (writeBack) buffer.put(from * c, rows, 0, count * c);
      }
    });
  }

  /** A range of rows [from, to). */
  @FunctionalInterface
  public interface RowRange {
    void run(int from, int to);
  }

  /** Fewer rows per part than this and splitting a copy over threads cost more than it saved. */
  private static final int MIN_ROWS_PER_PART = 2048;

  /**
   * Runs {@code body} over [0, n) in contiguous parts, one per core (on {@link PartRunner}'s workers
   * inside its scope, else on the common pool): the row
   * copies are Java loops on one core while the GEMMs around them use all of them.
   */
  public static void inParts(int n, RowRange body) {
    inParts(n, MIN_ROWS_PER_PART, body);
  }

  /** The same with at least {@code minPerPart} items per part. */
  public static void inParts(int n, int minPerPart, RowRange body) {
    int parts = Math.min(Runtime.getRuntime().availableProcessors(), n / minPerPart);
    if (parts <= 1) {
      body.run(0, n);
      return;
    }
    PartRunner.run(n, parts, body);
  }

  /** An [rows, cols] array of {@code type} holding {@code values} (row-major), written straight into its buffer. */
  static INDArray matrix(double[] values, int rows, int cols, org.nd4j.linalg.api.buffer.DataType type) {
    INDArray out = Nd4j.createUninitialized(type, rows, cols);
    if (type == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
      out.data().asNioFloat().put(0, f);
    } else {
      out.data().asNioDouble().put(0, values);
    }
    return out;
  }

  /** c-order, offset 0, exactly its own length: what reading {@code data()} directly needs. */
  public static INDArray contiguous(INDArray a) {
    boolean plain = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
        && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
    return plain ? a : a.dup('c');
  }
}
