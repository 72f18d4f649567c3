package ai.mesm.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The {@code mel} column's encoding: the spectrogram's float32 values, little-endian, concatenated
 * (docs/data-format.md). Stored as one binary value per row, like the face crops: written as
 * Parquet's list of floats, each value cost a nested group on write and a repetition level on read,
 * several times what the bytes cost (docs/performance.md#the-mel-column-as-bytes).
 */
public final class MelBytes {
  private MelBytes() {}

  public static byte[] encode(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return bytes.array();
  }

  /**
   * The mel value of a Spark row: bytes, or a list of floats in ingests and splits written before
   * the column became bytes.
   */
  public static float[] of(Row row, int index, String where) {
    if (row.get(index) instanceof byte[] bytes) return decode(bytes, where);
    List<Float> list = row.getList(index);
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) values[i] = list.get(i);
    return values;
  }

  /** The values of {@code bytes}; {@code where} names the row in the error when the length is not whole floats. */
  public static float[] decode(byte[] bytes, String where) {
    if (!wholeFloats(bytes.length)) {
      throw new IllegalArgumentException(where + ": mel holds " + bytes.length
          + " bytes, not a whole number of float32 values");
    }
    float[] values = new float[bytes.length / Float.BYTES];
    decodeInto(ByteBuffer.wrap(bytes), values);
    return values;
  }

  static boolean wholeFloats(int byteLength) {
    return byteLength % Float.BYTES == 0;
  }

  /** The first {@code bytes.remaining() / 4} values into {@code values}, which must hold them. */
  static void decodeInto(ByteBuffer bytes, float[] values) {
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, 0, bytes.remaining() / Float.BYTES);
  }
}
