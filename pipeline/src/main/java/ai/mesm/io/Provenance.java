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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a stage's output came from, as its manifest and its Parquet footers record it: the stage,
 * the code version, the input and its fingerprint, the settings (secrets redacted), what the stage
 * decided (the split's mode, seed or list files), and the provenance of the stage before it.
 *
 * @param configJson the canonical settings JSON ({@link MesmConfig#canonicalJson()})
 * @param decisions recorded under the stage's name; empty for none
 * @param upstreamJson the previous stage's provenance JSON, recorded under its stage name; null for none
 */
public record Provenance(String stage, String codeVersion, String input, int inputFiles, String inputFingerprint,
                         String configJson, Map<String, String> decisions, String upstreamStage, String upstreamJson) {

  public Provenance {
    decisions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(decisions));
  }

  /** A stage that read {@code fileLines} ("path, size, modification time") under {@code input}. */
  public static Provenance of(String stage, MesmConfig config, String input, List<String> fileLines) {
    return new Provenance(stage, buildVersion(), input, fileLines.size(), fingerprint(fileLines), config.canonicalJson(),
        Map.of(), null, null);
  }

  /** The same with another fingerprint of the input (a stage that reads a manifest, not files). */
  public Provenance withInputFingerprint(String fingerprint) {
    return new Provenance(stage, codeVersion, input, inputFiles, fingerprint, configJson, decisions, upstreamStage,
        upstreamJson);
  }

  public Provenance withDecisions(Map<String, String> decided) {
    return new Provenance(stage, codeVersion, input, inputFiles, inputFingerprint, configJson, decided, upstreamStage,
        upstreamJson);
  }

  public Provenance withUpstream(String upstreamStageName, String provenanceJson) {
    return new Provenance(stage, codeVersion, input, inputFiles, inputFingerprint, configJson, decisions,
        upstreamStageName, provenanceJson);
  }

  /** The version the build stamped into mesm-version.properties ("dev" when run from an IDE). */
  public static String buildVersion() {
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

  /** The JSON object manifests embed; field names and order are part of the output format. */
  public JsonObject toJsonObject() {
    JsonObject o = new JsonObject();
    o.addProperty("stage", stage);
    o.addProperty("code_version", codeVersion);
    o.addProperty("input", input);
    o.addProperty("input_files", inputFiles);
    o.addProperty("input_fingerprint", inputFingerprint);
    o.add("config", JsonParser.parseString(configJson));
    if (!decisions.isEmpty()) {
      JsonObject decided = new JsonObject();
      decisions.forEach(decided::addProperty);
      o.add(stage, decided);
    }
    if (upstreamJson != null) o.add(upstreamStage, JsonParser.parseString(upstreamJson));
    return o;
  }

  /** The compact JSON that rides in Parquet footers. */
  public String toJson() {
    return new Gson().toJson(toJsonObject());
  }
}
