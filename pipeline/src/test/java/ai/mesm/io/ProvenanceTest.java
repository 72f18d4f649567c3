package ai.mesm.io;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
  private static final MesmConfig CONFIG = ConfigLoader.load(List.of(),
      Map.of("seed", "11", "spark.conf.\"spark.hadoop.fs.s3a.secret.key\"", "do-not-print-me"));

  @Test
  void recordsTheFieldsInTheManifestOrderWithTheSettingsRedacted() {
    Provenance p = Provenance.of("ingest", CONFIG, "s3a://bucket/in", List.of("b 2 2", "a 1 1"));
    JsonObject o = p.toJsonObject();
    assertEquals(List.of("stage", "code_version", "input", "input_files", "input_fingerprint", "config"),
        new ArrayList<>(o.keySet()));
    assertEquals(2, o.get("input_files").getAsInt());
    assertEquals(Provenance.fingerprint(List.of("a 1 1", "b 2 2")), o.get("input_fingerprint").getAsString(),
        "the fingerprint does not depend on the listing order");
    assertFalse(p.toJson().contains("do-not-print-me"), p.toJson());
    assertEquals(11, o.getAsJsonObject("config").getAsJsonObject("mesm").get("seed").getAsInt());
  }

  @Test
  void aLaterStageRecordsItsDecisionsAndTheStageBefore() {
    Provenance ingest = Provenance.of("ingest", CONFIG, "in", List.of());
    Map<String, String> decided = new LinkedHashMap<>();
    decided.put("mode", "random");
    decided.put("seed", "11");
    Provenance split = Provenance.of("split", CONFIG, "ingest-out", List.of()).withInputFingerprint("abc")
        .withDecisions(decided).withUpstream("ingest", ingest.toJson());
    JsonObject o = JsonParser.parseString(split.toJson()).getAsJsonObject();
    assertEquals(List.of("stage", "code_version", "input", "input_files", "input_fingerprint", "config", "split", "ingest"),
        new ArrayList<>(o.keySet()));
    assertEquals("abc", o.get("input_fingerprint").getAsString());
    assertEquals("random", o.getAsJsonObject("split").get("mode").getAsString());
    assertEquals(ingest.toJsonObject(), o.getAsJsonObject("ingest"));
  }
}
