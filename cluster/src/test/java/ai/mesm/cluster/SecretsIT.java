package ai.mesm.cluster;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.testing.ShortJvms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets given to the product as users give them (a --config file with S3A credentials, a token
 * and a password) never reach an output or a log: every job of the chain runs through bin/mesm,
 * as a user runs it, and every byte of every file it wrote, and of everything it printed, is
 * searched for each planted value.
 */
class SecretsIT {
  static final Path ROOT = Path.of(System.getProperty("mesm.root", "..")).toAbsolutePath().normalize();
  @TempDir static Path dir;

  @Test
  void noPlantedSecretInAnyOutputOrLog() throws Exception {
    String tag = UUID.randomUUID().toString().replace("-", "");
    List<String> planted = List.of("AKIAPLANTED" + tag.substring(0, 9).toUpperCase(), "planted-secret-" + tag,
        "planted-token-" + tag, "planted-password-" + tag);
    Path out = dir.resolve("out");
    Path conf = dir.resolve("with-secrets.conf");
    Files.writeString(conf, String.join("\n",
        "mesm {",
        "  paths { input = \"" + out.resolve("corpus") + "\", ingest = \"" + out.resolve("ingest") + "\"",
        "    split = \"" + out.resolve("split") + "\", models = \"" + out.resolve("models") + "\"",
        "    reports = \"" + out.resolve("reports") + "\", scores = \"" + out.resolve("scores") + "\" }",
        "  corpus { output = \"" + out.resolve("corpus") + "\", layouts = [iemocap, mosei], size = 24,",
        "    min-utterance-s = 1.0, max-utterance-s = 1.5, mosei.clips-per-video = 2, frame-rate = 10 }",
        "  spark.master = \"local[2]\"",
        "  model { cnn.channel-divisor = 16, dim = 32, layers = 1, feed-forward = 64 }",
        "  train { max-epochs = 1, patience = 1, batch-size = 4 }",
        "  score { input = \"" + out.resolve("archive") + "\", model = fe2e-tav }",
        "  spark.conf {",
        "    \"spark.ui.enabled\" = false",
        "    \"spark.hadoop.fs.s3a.access.key\" = \"" + planted.get(0) + "\"",
        "    \"spark.hadoop.fs.s3a.secret.key\" = \"" + planted.get(1) + "\"",
        "    \"spark.hadoop.fs.s3a.session.token\" = \"" + planted.get(2) + "\"",
        "    \"spark.hadoop.javax.jdo.option.ConnectionPassword\" = \"" + planted.get(3) + "\"",
        "  }",
        "}", ""));

    StringBuilder printed = new StringBuilder();
    for (List<String> job : List.of(
        List.of("GenerateCorpusJob"),
        List.of("IngestJob"),
        List.of("SplitJob"),
        List.of("TrainJob"),
        List.of("TrainJob", "--resume"), // reads the checkpoint back and publishes again
        List.of("EvaluateJob"),
        List.of("MakeArchiveJob"),
        List.of("ScoreJob"),
        List.of("ScoreJob", "--print-config"))) {
      printed.append(mesm(job, conf));
    }
    assertTrue(printed.toString().contains("<redacted>"), "--print-config shows that a secret was set");

    List<String> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(out)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.stream().anyMatch(f -> f.toString().contains("/scores/fe2e-tav/scores/")),
        "the chain ran to the end: " + files.size() + " files");
    for (Path f : files) {
      for (byte[] bytes : contents(f)) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // byte for byte, whatever the encoding
        for (String secret : planted) if (text.contains(secret)) found.add(secret + " in " + out.relativize(f));
      }
    }
    for (String secret : planted) if (printed.indexOf(secret) >= 0) found.add(secret + " in the jobs' output");
    assertEquals(List.of(), found, "secrets written out");
  }

  /** A file's bytes, and for a zip archive each entry's inflated bytes too (deflate would hide a secret). */
  private static List<byte[]> contents(Path f) throws IOException {
    List<byte[]> out = new ArrayList<>(List.of(Files.readAllBytes(f)));
    if (f.toString().endsWith(".zip")) {
      try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(f))) {
        while (zip.getNextEntry() != null) out.add(zip.readAllBytes());
      }
    }
    return out;
  }

  /** Runs a job with bin/mesm; its stdout and stderr together, after checking it succeeded. */
  private static String mesm(List<String> job, Path conf) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/mesm").toString(), job.get(0), "--config",
        conf.toString()));
    command.addAll(job.subList(1, job.size()));
    Path log = dir.resolve(job.get(0) + "-" + System.nanoTime() + ".log");
    ProcessBuilder b = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    b.environment().put("MESM_HEAP", "3g");
    b.environment().put("MESM_JAVA_OPTS", ShortJvms.JAVA_OPTS);
    Process p = b.start();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail(command + " did not finish in 10 minutes:\n" + tail(log));
    }
    String text = Files.readString(log);
    assertEquals(0, p.exitValue(), command + ":\n" + tail(log));
    return text;
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log);
    return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
  }
}
