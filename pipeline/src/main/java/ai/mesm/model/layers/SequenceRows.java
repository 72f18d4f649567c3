package ai.mesm.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

  /** [mb, features, T] → [rows.length, features]. */
  static INDArray gather(INDArray sequence, int[] rows) {
    long mb = sequence.size(0);
    long features = sequence.size(1);
    long steps = sequence.size(2);
    INDArray flat = sequence.permute(0, 2, 1).dup('c').reshape('c', mb * steps, features);
    return Nd4j.pullRows(flat, 1, rows, 'c');
  }

  /** [rows.length, features] → [mb, features, T] with zeros at every other step. */
  static INDArray scatter(INDArray batch, int[] rows, long mb, long steps) {
    long features = batch.size(1);
    INDArray flat = Nd4j.zeros(batch.dataType(), mb * steps, features);
    for (int i = 0; i < rows.length; i++) flat.putRow(rows[i], batch.getRow(i));
    return flat.reshape('c', mb, steps, features).permute(0, 2, 1).dup('c');
  }
}
