package ai.mesm.model.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Image planes of a dense ({@link ai.mesm.model.sparse.NativeArrays#denseStrides}) FLOAT or DOUBLE [n, C, H, W] array read into and written from
 * double[] (exact for both), so that one plain loop serves training in float and gradient checks
 * in double. Plane {@code p} is channel {@code p % C} of example {@code p / C}.
 */
interface PlaneIo {
  void read(int plane, double[] to, float[] scratch);

  void write(int plane, double[] from, float[] scratch);

  static PlaneIo of(INDArray a, int size, String user) {
    int base = DenseArrays.base(a);
    if (a.dataType() == DataType.DOUBLE) {
      DoubleBuffer b = a.data().asNioDouble();
      return new PlaneIo() {
        public void read(int plane, double[] to, float[] scratch) {
          b.get(base + plane * size, to, 0, size);
        }

        public void write(int plane, double[] from, float[] scratch) {
          b.put(base + plane * size, from, 0, size);
        }
      };
    }
    if (a.dataType() != DataType.FLOAT) throw new IllegalArgumentException(user + " supports FLOAT and DOUBLE, got " + a.dataType());
    FloatBuffer b = a.data().asNioFloat();
    return new PlaneIo() {
      public void read(int plane, double[] to, float[] scratch) {
        b.get(base + plane * size, scratch, 0, size);
        for (int i = 0; i < size; i++) to[i] = scratch[i];
      }

      public void write(int plane, double[] from, float[] scratch) {
        for (int i = 0; i < size; i++) scratch[i] = (float) from[i];
        b.put(base + plane * size, scratch, 0, size);
      }
    };
  }
}
