package ai.mesm.model.sparse;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row gathers, the only data movement the sparse kernels need (no scatter, so no write races).
 * Copies rows straight between the arrays' native buffers: ND4J's pullRows and gather op ran at
 * under 1 GB/s on rows of 16–64 values here.
 */
final class Rows {
  private Rows() {}

  /** A matrix's rows as a Java array, read once for many gathers. */
  record Source(float[] floats, double[] doubles, int channels) {
    double value(int flatIndex) {
      return floats != null ? floats[flatIndex] : doubles[flatIndex];
    }

    static Source of(INDArray src) {
      INDArray s = contiguous(src);
      int c = (int) src.size(1);
      return switch (src.dataType()) {
        case FLOAT -> new Source(s.data().asFloat(), null, c);
        case DOUBLE -> new Source(null, s.data().asDouble(), c);
        default -> throw new IllegalArgumentException("sparse kernels take FLOAT or DOUBLE, got " + src.dataType());
      };
    }
  }

  /** A matrix copied to the heap to add rows into, then written back to native memory once. */
  record Accumulator(float[] floats, double[] doubles, int channels) {
    // Reused per thread: fresh arrays of megabytes are "humongous" for G1 and cost more than the adds.
    private static final ThreadLocal<float[]> HEAP_FLOATS = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<double[]> HEAP_DOUBLES = ThreadLocal.withInitial(() -> new double[0]);

    static Accumulator of(INDArray start) {
      Source s = Source.of(start);
      return new Accumulator(s.floats(), s.doubles(), s.channels());
    }

    /** {@code this[targets[r]] += rows[r]} for r < m; rows is [≥ m, C], c-order, contiguous from its offset. */
    void addRows(INDArray rows, int[] targets, int m) {
      int c = channels;
      long offset = rows.offset();
      if (floats != null) {
        float[] add = HEAP_FLOATS.get();
        if (add.length < m * c) HEAP_FLOATS.set(add = new float[Math.max(m * c, 2 * add.length)]);
        rows.data().asNioFloat().get((int) offset, add, 0, m * c);
        for (int r = 0; r < m; r++) {
          int t = targets[r] * c;
          int a = r * c;
          for (int k = 0; k < c; k++) floats[t + k] += add[a + k];
        }
      } else {
        double[] add = HEAP_DOUBLES.get();
        if (add.length < m * c) HEAP_DOUBLES.set(add = new double[Math.max(m * c, 2 * add.length)]);
        rows.data().asNioDouble().get((int) offset, add, 0, m * c);
        for (int r = 0; r < m; r++) {
          int t = targets[r] * c;
          int a = r * c;
          for (int k = 0; k < c; k++) doubles[t + k] += add[a + k];
        }
      }
    }

    /** Writes the sums into {@code out} (c-order, offset 0, same shape) and returns it. */
    INDArray writeTo(INDArray out) {
      if (floats != null) out.data().asNioFloat().put(0, floats);
      else out.data().asNioDouble().put(0, doubles);
      return out;
    }
  }

  /** {@code out[j] = src[index[j]]}, or a zero row where {@code index[j] < 0}; src is [n, C]. */
  static INDArray gather(INDArray src, int[] index) {
    INDArray out = Nd4j.createUninitialized(src.dataType(), index.length, src.size(1));
    gatherInto(Source.of(src), index, 0, index.length, out);
    return out;
  }

  /** Rows {@code index[from..to)} of src into {@code out} ([to − from, C], c-order, contiguous from its offset). */
  static void gatherInto(Source src, int[] index, int from, int to, INDArray out) {
    int c = src.channels();
    long outOffset = out.offset();
    if (src.floats() != null) {
      float[] in = src.floats();
      FloatBuffer dst = out.data().asNioFloat();
      float[] zeros = new float[c];
      for (int j = from; j < to; j++) {
        int at = (int) (outOffset + (long) (j - from) * c);
        if (index[j] < 0) dst.put(at, zeros, 0, c);
        else dst.put(at, in, index[j] * c, c);
      }
    } else {
      double[] in = src.doubles();
      DoubleBuffer dst = out.data().asNioDouble();
      double[] zeros = new double[c];
      for (int j = from; j < to; j++) {
        int at = (int) (outOffset + (long) (j - from) * c);
        if (index[j] < 0) dst.put(at, zeros, 0, c);
        else dst.put(at, in, index[j] * c, c);
      }
    }
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
  static INDArray contiguous(INDArray a) {
    boolean plain = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
        && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
    return plain ? a : a.dup('c');
  }
}
