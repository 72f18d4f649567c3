package ai.mesm.media.face;

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
import java.util.stream.StreamSupport;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads float32 tensors from a .safetensors file: an 8-byte little-endian header length, a JSON
 * header {name: {dtype, shape, data_offsets}}, then the raw little-endian data.
 */
public final class SafetensorsFile {
  private final Path file;
  private final Map<String, INDArray> tensors = new LinkedHashMap<>();

  private SafetensorsFile(Path file) {
    this.file = file;
  }

  public static SafetensorsFile read(Path file) throws IOException {
    SafetensorsFile st = new SafetensorsFile(file);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 8) throw new IOException(file + ": not a safetensors file (shorter than its header)");
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength <= 0 || 8 + headerLength > bytes.length) {
      throw new IOException(file + ": truncated or not a safetensors file (header of " + headerLength + " bytes)");
    }
    JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8))
        .getAsJsonObject();
    int dataStart = (int) (8 + headerLength);
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) continue;
      JsonObject t = e.getValue().getAsJsonObject();
      String dtype = t.get("dtype").getAsString();
      if (!dtype.equals("F32")) throw new IOException(file + ": tensor " + e.getKey() + " is " + dtype + ", only F32 is supported");
      long[] shape = StreamSupport.stream(t.getAsJsonArray("shape").spliterator(), false).mapToLong(JsonElement::getAsLong).toArray();
      long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
      long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
      long count = 1;
      for (long s : shape) count *= s;
      if (end - begin != count * 4 || dataStart + end > bytes.length) {
        throw new IOException(file + ": tensor " + e.getKey() + " is truncated or its offsets do not match its shape");
      }
      float[] values = new float[(int) count];
      ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer().get(values);
      st.tensors.put(e.getKey(), Nd4j.create(values, shape, 'c'));
    }
    return st;
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
