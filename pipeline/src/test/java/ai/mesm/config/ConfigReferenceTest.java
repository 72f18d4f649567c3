package ai.mesm.config;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is rendered from reference.conf and committed; this test keeps the two in
 * step. With {@code -Dmesm.writeConfigDoc=true} (what {@code make config-doc} passes) it rewrites
 * the page instead of comparing.
 */
class ConfigReferenceTest {
  private static final String REGENERATE = "make config-doc";

  @Test
  void theCommittedPageIsWhatReferenceConfRendersNow() throws IOException {
    Path page = repositoryRoot().resolve(ConfigReference.PAGE);
    String rendered = ConfigReference.render();
    if (Boolean.getBoolean("mesm.writeConfigDoc")) {
      Files.writeString(page, rendered, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.isRegularFile(page), page + " is missing: run `" + REGENERATE + "` and commit it");
    String committed = Files.readString(page, StandardCharsets.UTF_8);
    if (!committed.equals(rendered)) {
      fail(ConfigReference.PAGE + " differs from what reference.conf renders now (" + firstDifference(committed, rendered)
          + "): run `" + REGENERATE + "` and commit the page");
    }
  }

  @Test
  void everyKeyOfReferenceConfIsOnThePageWithItsComment() {
    String page = ConfigReference.render();
    for (String key : List.of("`mesm.seed`", "`mesm.paths.input`", "`mesm.media.face.mtcnn.weights`",
        "`mesm.model.mesm.top-p`", "`mesm.train.spark.averaging-frequency`", "`mesm.maps.count`",
        "`mesm.spark.conf.\"spark.hadoop.fs.s3a.retry.limit\"`")) {
      assertTrue(page.contains("| " + key + " |"), key + " has no row");
    }
    assertTrue(page.contains("| `mesm.model.mesm.top-p` | `0.7` | Nucleus mass kept per frame"), "default and comment");
    assertTrue(page.contains("| `mesm.corpus.layouts` | `[iemocap, mosei]` |"), "values as reference.conf writes them");
    assertTrue(page.contains("| `mesm.train.learning-rate` | `5e-5` |"), "numbers as written, not as parsed (5.0E-5)");
    assertFalse(page.contains(Secrets.REDACTED), "reference.conf holds no secret");
  }

  @Test
  void aSecretInTheDefaultsIsNeverPrinted() {
    String page = ConfigReference.render(ConfigFactory.parseString("""
        mesm {
          # An access key someone committed by mistake.
          spark.conf { "spark.hadoop.fs.s3a.secret.key" = "wJalrXUtnFEMI" }
          paths.input = "s3a://AKIAEXAMPLE:topsecret@bucket/raw"
          spark.conf { "spark.hadoop.fs.s3a.access.key" = "" }
        }
        """));
    assertFalse(page.contains("wJalrXUtnFEMI"), page);
    assertFalse(page.contains("AKIAEXAMPLE") || page.contains("topsecret"), page);
    assertTrue(page.contains("`mesm.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"` | `" + Secrets.REDACTED + "`"), page);
    assertTrue(page.contains("`mesm.spark.conf.\"spark.hadoop.fs.s3a.access.key\"` | `\"\"`"), "empty defaults stay visible");
  }

  /** Surefire runs in the module's folder; the page belongs to the repository. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("docs")) && Files.isRegularFile(d.resolve("pipeline/pom.xml"))) return d;
    }
    throw new IllegalStateException("no repository root (docs/ and pipeline/pom.xml) above " + dir);
  }

  private static String firstDifference(String committed, String rendered) {
    String[] a = committed.split("\n", -1);
    String[] b = rendered.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end of file>";
      String y = i < b.length ? b[i] : "<end of file>";
      if (!x.equals(y)) return "line " + (i + 1) + ": committed \"" + x + "\", rendered \"" + y + "\"";
    }
    return "line endings";
  }
}
