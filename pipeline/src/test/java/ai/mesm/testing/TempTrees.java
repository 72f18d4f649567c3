package ai.mesm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder trees for fixtures that outlive a test class (shared per JVM or per run) or are copied into one. */
public final class TempTrees {
  private TempTrees() {}

  /** A new temporary folder, deleted when the JVM exits (no test class owns it, so no @TempDir can). */
  public static Path createDeletedAtExit(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        delete(dir);
      } catch (IOException ignored) {
        // best effort at exit
      }
    }));
    return dir;
  }

  /** Copies every file under {@code from} to the same place under {@code to}; returns {@code to}. */
  public static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
    return to;
  }

  /** Deletes a folder and everything under it; nothing there is fine. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
