package ai.mesm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/mesm with MESM_CDS=on (docs/performance.md#job-start-up): the first run leaves one complete
 * class-data archive for the build, and the next run maps it (with -Xshare:on a JVM that cannot map
 * its archive refuses to start) and prints the same as the first.
 */
class ClassDataSharingIT {
  static final Path ROOT = Path.of(System.getProperty("mesm.root", "..")).toAbsolutePath().normalize();
  static final Path ARCHIVES = ROOT.resolve("jobs/target/cds");
  @TempDir static Path dir;

  @Test
  void theFirstRunArchivesTheClassesAndTheNextMapsThem() throws Exception {
    if (Files.isDirectory(ARCHIVES)) {
      try (Stream<Path> old = Files.list(ARCHIVES)) {
        for (Path p : old.toList()) Files.delete(p);
      }
    }
    String first = mesm(Map.of("MESM_CDS", "on"));
    List<Path> archives;
    try (Stream<Path> files = Files.list(ARCHIVES)) {
      archives = files.toList();
    }
    assertEquals(1, archives.size(), "one archive, no half-written one left: " + archives);
    assertTrue(archives.get(0).toString().endsWith(".jsa") && Files.size(archives.get(0)) > 1_000_000, archives.toString());
    String second = mesm(Map.of("MESM_CDS", "on", "MESM_JAVA_OPTS", "-Xshare:on"));
    assertEquals(first, second, "the same output with the archive mapped");
    assertEquals(first, mesm(Map.of("MESM_CDS", "off")), "and without class data sharing");
  }

  /** A quick job: the resolved configuration (it loads the configuration and Spark's settings classes). */
  private static String mesm(Map<String, String> env) throws Exception {
    Path log = dir.resolve("mesm-" + System.nanoTime() + ".log");
    ProcessBuilder b = new ProcessBuilder(ROOT.resolve("bin/mesm").toString(), "ScoreJob", "--config",
        ROOT.resolve("conf/demo.conf").toString(), "--print-config").directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    b.environment().remove("MESM_JAVA_OPTS");
    b.environment().putAll(env);
    Process p = b.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/mesm did not finish in 2 minutes");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
