package ai.mesm.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Checksum;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The project's own file for one flat float array (parameters, optimiser state): the magic
 * {@value #MAGIC}, a data-type code (1 = float32), the element count, the values, then a CRC-32
 * of everything before it; little-endian throughout. It holds numbers only, so reading one can
 * never build objects, and the reader is told how many values the model needs before it
 * allocates anything: a crafted count cannot make it reserve memory, a cut or damaged file is
 * refused by name instead of loading half a model.
 */
public final class ArrayFile {
  public static final String MAGIC = "MESMARR1";
  static final int FLOAT32 = 1;
  private static final int HEADER = 8 + 4 + 8;
  /** Values per read and per copy into the array: bounds the heap used besides the array itself. */
  private static final int CHUNK = 1 << 16;

  private ArrayFile() {}

  public static void write(OutputStream out, INDArray array) throws IOException {
    if (array.dataType() != DataType.FLOAT) throw new IllegalArgumentException("only float arrays, got " + array.dataType());
    INDArray flat = array.ravel(); // row-major, as the reader fills it
    CRC32 crc = new CRC32();
    ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(FLOAT32).putLong(flat.length());
    emit(out, header.array(), header.position(), crc);
    ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (long at = 0; at < flat.length(); at += CHUNK) {
      float[] values = flat.get(NDArrayIndex.interval(at, Math.min(flat.length(), at + CHUNK))).toFloatVector();
      chunk.clear();
      chunk.asFloatBuffer().put(values);
      emit(out, chunk.array(), 4 * values.length, crc);
    }
    ByteBuffer sum = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    out.write(sum.array());
  }

  /**
   * The array in {@code in}, shape [expectedCount].
   *
   * @param name the file, for messages
   * @throws IOException naming the file: not this format, another size than expected, cut short, damaged, or
   *                     followed by more bytes
   */
  public static INDArray read(InputStream in, long expectedCount, String name) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer header = ByteBuffer.wrap(readExactly(in, HEADER, name, "header", crc)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[8];
    header.get(magic);
    if (!Arrays.equals(magic, MAGIC.getBytes(StandardCharsets.US_ASCII))) {
      throw new IOException(name + ": not a MESM array file (it does not start with " + MAGIC + ")");
    }
    int type = header.getInt();
    if (type != FLOAT32) throw new IOException(name + ": data type code " + type + ", this version reads only 1 (float32)");
    requireCount(header.getLong(), expectedCount, name);
    INDArray values = readFloats(in, expectedCount, ByteOrder.LITTLE_ENDIAN, crc, name);
    int stored = ByteBuffer.wrap(readExactly(in, 4, name, "checksum", null)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (stored != (int) crc.getValue()) throw new IOException(name + ": checksum mismatch: the file is damaged");
    requireEnd(in, name);
    return values;
  }

  /** Refuses a file sized for another model before anything is allocated for it. */
  static void requireCount(long count, long expected, String name) throws IOException {
    if (count != expected) {
      throw new IOException(name + ": holds " + count + " values, the model described by the manifest has " + expected);
    }
  }

  /** {@code count} float32 values in {@code order} into a new [count] array, fed to {@code crc} when not null. */
  static INDArray readFloats(InputStream in, long count, ByteOrder order, Checksum crc, String name) throws IOException {
    INDArray out = Nd4j.create(DataType.FLOAT, count);
    float[] values = new float[(int) Math.min(CHUNK, count)];
    for (long at = 0; at < count; at += values.length) {
      int n = (int) Math.min(values.length, count - at);
      byte[] bytes = in.readNBytes(4 * n);
      if (bytes.length < 4 * n) throw new IOException(name + ": truncated: " + (at + bytes.length / 4) + " of " + count + " values");
      if (crc != null) crc.update(bytes, 0, bytes.length);
      float[] chunk = n == values.length ? values : new float[n];
      ByteBuffer.wrap(bytes).order(order).asFloatBuffer().get(chunk);
      out.get(NDArrayIndex.interval(at, at + n)).assign(Nd4j.createFromArray(chunk));
    }
    return out;
  }

  /** A file that goes on after its last value was not written by us, or not for this model. */
  static void requireEnd(InputStream in, String name) throws IOException {
    if (in.read() != -1) throw new IOException(name + ": more bytes after the end of the array");
  }

  private static byte[] readExactly(InputStream in, int n, String name, String part, Checksum crc) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) throw new IOException(name + ": truncated: the " + part + " is cut short");
    if (crc != null) crc.update(b, 0, n);
    return b;
  }

  private static void emit(OutputStream out, byte[] bytes, int n, CRC32 crc) throws IOException {
    crc.update(bytes, 0, n);
    out.write(bytes, 0, n);
  }
}
