package ai.mesm.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Index work shared by {@link SequenceToFramesVertex} and {@link FramesToSequenceVertex}: which
 * (example, step) pairs of a [mb, features, T] sequence are real, and moving those steps between
 * the sequence layout and a dense [n, features] batch of rows (row index = example·T + step).
 */
final class SequenceRows {
  private SequenceRows() {}

  /**
   * Rows of the real steps in example-major order. Without a mask every step is real. When no
   * step is real, step 0 of example 0 is kept so that the layers in between never see an empty
   * batch; {@link #scatter} writes it back where the mask says nothing is real, and the layers
   * after it ignore masked steps.
   */
  static int[] realRows(INDArray mask, long mb, long steps, String vertex) {
    if (mask == null) {
      int[] all = new int[Math.toIntExact(mb * steps)];
      for (int i = 0; i < all.length; i++) all[i] = i;
      return all;
    }
    if (mask.rank() != 2 || mask.size(0) != mb || mask.size(1) != steps) {
      throw new IllegalStateException(vertex + ": mask shape " + java.util.Arrays.toString(mask.shape())
          + " does not match the input's [" + mb + ", " + steps + "] (examples, steps)");
    }
    float[] m = mask.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    int n = 0;
    for (float v : m) if (v != 0) n++;
    if (n == 0) return new int[] {0};
    int[] rows = new int[n];
    int k = 0;
    for (int i = 0; i < m.length; i++) if (m[i] != 0) rows[k++] = i;
    return rows;
  }

  /**
   * [mb, features, T] → out [rows.length, ...] (c-order, features per row), each element copied
   * once. ND4J's permute + dup + pullRows and a row-by-row putRow cost a copy each and per-row
   * shape objects: ~8 % of a training step at the tests' widths.
   */
  static void gather(INDArray sequence, int[] rows, INDArray out) {
    Layout l = Layout.of(sequence, rows, out, "gather");
    Elements from = Elements.of(DenseArrays.readable(sequence));
    Elements to = Elements.of(out);
    long f = l.features;
    long t = l.steps;
    for (int r = 0; r < rows.length; r++) {
      long b = rows[r] / t;
      long step = rows[r] % t;
      long base = b * f * t + step;
      long row = r * f;
      for (long k = 0; k < f; k++) to.set(row + k, from.get(base + k * t));
    }
  }

  /** batch [rows.length, ...] → out [mb, features, T] (c-order) with zeros at every other step. */
  static void scatter(INDArray batch, int[] rows, INDArray out) {
    Layout l = Layout.of(out, rows, batch, "scatter");
    Elements from = Elements.of(DenseArrays.readable(batch));
    Elements to = Elements.of(out);
    long f = l.features;
    long t = l.steps;
    int[] rowOf = new int[Math.toIntExact(l.examples * t)];
    java.util.Arrays.fill(rowOf, -1);
    for (int r = 0; r < rows.length; r++) rowOf[rows[r]] = r;
    for (long b = 0; b < l.examples; b++) {
      for (long step = 0; step < t; step++) {
        int r = rowOf[(int) (b * t + step)];
        long at = b * f * t + step;
        if (r < 0) {
          for (long k = 0; k < f; k++) to.set(at + k * t, 0);
        } else {
          long row = r * f;
          for (long k = 0; k < f; k++) to.set(at + k * t, from.get(row + k));
        }
      }
    }
  }

  /** The sizes of a [mb, features, T] sequence and its [rows, features...] batch, checked against each other. */
  private record Layout(long examples, long features, long steps) {
    static Layout of(INDArray sequence, int[] rows, INDArray batch, String what) {
      if (sequence.rank() != 3 || batch.size(0) != rows.length || batch.length() != rows.length * sequence.size(1)) {
        throw new IllegalArgumentException(what + ": sequence " + java.util.Arrays.toString(sequence.shape()) + " and "
            + rows.length + " rows of " + java.util.Arrays.toString(batch.shape()) + " do not match");
      }
      return new Layout(sequence.size(0), sequence.size(1), sequence.size(2));
    }
  }

  /** The elements of a dense c-order FLOAT or DOUBLE array, by flat index (exact for both). */
  private interface Elements {
    double get(long i);

    void set(long i, double v);

    /** {@code a} must be dense ({@link ai.mesm.model.sparse.NativeArrays#denseStrides}). */
    static Elements of(INDArray a) {
      int base = DenseArrays.base(a);
      if (a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE) {
        java.nio.DoubleBuffer d = a.data().asNioDouble();
        return new Elements() {
          public double get(long i) {
            return d.get(base + (int) i);
          }

          public void set(long i, double v) {
            d.put(base + (int) i, v);
          }
        };
      }
      if (a.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
        throw new IllegalArgumentException("sequence rows support FLOAT and DOUBLE, got " + a.dataType());
      }
      java.nio.FloatBuffer d = a.data().asNioFloat();
      return new Elements() {
        public double get(long i) {
          return d.get(base + (int) i);
        }

        public void set(long i, double v) {
          d.put(base + (int) i, (float) v);
        }
      };
    }
  }
}
