package ai.mesm.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * A fixture built once per test run and shared by all of the run's test JVMs: surefire runs the
 * pipeline's classes in two (pipeline/pom.xml), and a split corpus built by each would cost the
 * suite a minute of CPU. The first JVM to ask builds it under a file lock while the others wait,
 * then all read it. It is built in place (what the stages write records the paths they read) and
 * counts only once its marker file exists, so a JVM that died building it leaves nothing the next
 * one would take for the fixture.
 *
 * <p>The run's folder comes from the system property {@code mesm.test.shared} (the build sets one
 * per Maven invocation under target/ and removes older runs' folders). Without it (a test started
 * from an IDE) each JVM builds its own in a temporary folder deleted at exit, as before.
 */
public final class RunShared {
  static final String PROPERTY = "mesm.test.shared";

  /** Fills an empty folder with the fixture. */
  @FunctionalInterface
  public interface Builder {
    void build(Path dir) throws IOException;
  }

  private RunShared() {}

  /** The fixture's folder; {@code name} is a plain file name chosen by the caller. */
  public static synchronized Path folder(String name, Builder builder) throws IOException {
    String run = System.getProperty(PROPERTY, "");
    if (run.isBlank()) {
      Path dir = TempTrees.createDeletedAtExit("mesm-" + name);
      builder.build(dir);
      return dir;
    }
    return folder(Path.of(run).toAbsolutePath(), name, builder);
  }

  /** The fixture's folder in the run folder {@code runDir}. */
  static synchronized Path folder(Path runDir, String name, Builder builder) throws IOException {
    removeOlderRuns(runDir);
    Path dir = runDir.resolve(name);
    try (FileChannel lockFile = FileChannel.open(runDir.resolve(name + ".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      Path complete = runDir.resolve(name + ".complete");
      if (Files.exists(complete)) return dir;
      TempTrees.delete(dir);
      Files.createDirectories(dir);
      builder.build(dir);
      Files.createFile(complete);
      return dir;
    }
  }

  /** Creates the run's folder and deletes the other runs' beside it, under a lock of the parent's. */
  private static void removeOlderRuns(Path runDir) throws IOException {
    Path parent = runDir.getParent();
    Files.createDirectories(parent);
    try (FileChannel lockFile = FileChannel.open(parent.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      if (Files.isDirectory(runDir)) return;
      try (Stream<Path> runs = Files.list(parent)) {
        for (Path old : runs.filter(Files::isDirectory).toList()) TempTrees.delete(old);
      }
      Files.createDirectories(runDir);
    }
  }
}
