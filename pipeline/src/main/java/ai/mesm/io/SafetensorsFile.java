package ai.mesm.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the tensors of a .safetensors file: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets}}, then the raw little-endian data. The format holds numbers
 * only (unlike a PyTorch pickle), which is why the product reads pretrained weights from it.
 * F32 is read as is; F16 and BF16 are widened to float32. Every size in the header is checked
 * against the file before anything is allocated.
 */
public final class SafetensorsFile {
  private static final long MAX_HEADER = 100L << 20;
  private final String file;
  private final Map<String, INDArray> tensors = new LinkedHashMap<>();

  private SafetensorsFile(String file) {
    this.file = file;
  }

  public static SafetensorsFile read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /** @param name the file's location, for messages */
  public static SafetensorsFile read(byte[] bytes, String name) throws IOException {
    SafetensorsFile st = new SafetensorsFile(name);
    if (bytes.length < 8) throw new IOException(name + ": not a safetensors file (shorter than its header)");
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
      throw new IOException(name + ": truncated or not a safetensors file (header of " + headerLength + " bytes)");
    }
    JsonObject header;
    try {
      header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(name + ": not a safetensors file (its header is not a JSON object)", e);
    }
    long dataStart = 8 + headerLength;
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      try {
        if (e.getKey().equals("__metadata__")) continue;
        st.tensors.put(e.getKey(), tensor(bytes, dataStart, e.getValue().getAsJsonObject(), name + ": tensor " + e.getKey()));
      } catch (IllegalStateException | UnsupportedOperationException | NullPointerException | ClassCastException ex) {
        throw new IOException(name + ": tensor " + e.getKey() + " has a malformed header entry: " + ex.getMessage(), ex);
      }
    }
    return st;
  }

  private static INDArray tensor(byte[] bytes, long dataStart, JsonObject t, String what) throws IOException {
    String dtype = t.get("dtype").getAsString();
    int width = switch (dtype) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      default -> throw new IOException(what + " is " + dtype + "; only F32, F16 and BF16 are supported");
    };
    var dims = t.getAsJsonArray("shape");
    long[] shape = new long[dims.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i).getAsLong();
      if (shape[i] < 0 || (shape[i] > 0 && count > Integer.MAX_VALUE / shape[i])) throw new IOException(what + " has an absurd shape " + dims);
      count *= shape[i];
    }
    long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
    long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
    if (begin < 0 || end - begin != count * width || dataStart + end > bytes.length) {
      throw new IOException(what + " is truncated or its offsets do not match its shape");
    }
    float[] values = new float[(int) count];
    ByteBuffer data = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
    if (width == 4) {
      data.asFloatBuffer().get(values);
    } else {
      for (int i = 0; i < values.length; i++) {
        short bits = data.getShort();
        values[i] = dtype.equals("BF16") ? Float.intBitsToFloat((bits & 0xffff) << 16) : halfToFloat(bits);
      }
    }
    return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c');
  }

  /** IEEE 754 binary16 to float (Float.float16ToFloat arrived after Java 17). */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    if (exponent == 0) {
      float subnormal = mantissa * 0x1p-24f;
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  public INDArray get(String name) throws IOException {
    INDArray t = tensors.get(name);
    if (t == null) throw new IOException(file + ": no tensor " + name + " (has " + tensors.keySet() + ")");
    return t;
  }

  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

}
