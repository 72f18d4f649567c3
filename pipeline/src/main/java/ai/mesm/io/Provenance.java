package ai.mesm.io;

import ai.mesm.config.MesmConfig;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/** Where a dataset came from: code version, configuration, input location and fingerprint. */
public final class Provenance {
  private Provenance() {}

  /** The version the build stamped into mesm-version.properties ("dev" when run from an IDE). */
  public static String codeVersion() {
    try (InputStream in = Provenance.class.getResourceAsStream("/mesm-version.properties")) {
      if (in == null) return "dev";
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** SHA-256 over the sorted "path, size, modification time" lines of the input files. */
  public static String fingerprint(List<String> fileLines) {
    MessageDigest md = Sha256.digest();
    fileLines.stream().sorted().forEach(l -> md.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(md.digest());
  }

  public static JsonObject of(String stage, MesmConfig config, String input, List<String> fileLines) {
    JsonObject o = new JsonObject();
    o.addProperty("stage", stage);
    o.addProperty("code_version", codeVersion());
    o.addProperty("input", input);
    o.addProperty("input_files", fileLines.size());
    o.addProperty("input_fingerprint", fingerprint(fileLines));
    o.add("config", JsonParser.parseString(config.canonicalJson()));
    return o;
  }

  public static String json(JsonObject o) {
    return new Gson().toJson(o);
  }
}
