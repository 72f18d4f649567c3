package ai.mesm.model.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads back a tokenizer that {@link TextTokenizer#files()} stored beside a model. */
public final class TextTokenizers {
  /** Every file a stored tokenizer may consist of. */
  public static final List<String> FILES = List.of(TextTokenizer.DESCRIPTOR, AlbertTokenizer.MODEL_FILE);

  private TextTokenizers() {}

  /** @param folder where the files were read, for messages */
  public static TextTokenizer fromFiles(Map<String, byte[]> files, String folder) throws IOException {
    byte[] descriptor = files.get(TextTokenizer.DESCRIPTOR);
    if (descriptor == null) throw new IOException(folder + ": no " + TextTokenizer.DESCRIPTOR);
    String json = new String(descriptor, StandardCharsets.UTF_8);
    String type;
    try {
      JsonElement t = JsonParser.parseString(json).getAsJsonObject().get("type");
      type = t == null ? "" : t.getAsString();
    } catch (RuntimeException e) {
      throw new IOException(folder + "/" + TextTokenizer.DESCRIPTOR + ": unreadable: " + e.getMessage(), e);
    }
    try {
      return switch (type) {
        case "wordpiece" -> WordPieceTokenizer.fromJson(json);
        case AlbertTokenizer.TYPE -> AlbertTokenizer.read(files, folder);
        default -> throw new IOException(folder + "/" + TextTokenizer.DESCRIPTOR + ": unknown tokenizer type '" + type + "'");
      };
    } catch (RuntimeException e) {
      throw new IOException(folder + "/" + TextTokenizer.DESCRIPTOR + ": unreadable tokenizer: " + e.getMessage(), e);
    }
  }
}
