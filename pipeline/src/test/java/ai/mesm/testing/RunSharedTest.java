package ai.mesm.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSharedTest {
  @TempDir Path dir;

  @Test
  void aFixtureIsBuiltOncePerRunAndOlderRunsAreRemoved() throws IOException {
    Path older = Files.createDirectories(dir.resolve("run-1").resolve("corpus"));
    AtomicInteger builds = new AtomicInteger();
    RunShared.Builder builder = d -> {
      builds.incrementAndGet();
      Files.writeString(d.resolve("data.txt"), "built");
    };
    Path first = RunShared.folder(dir.resolve("run-2"), "corpus", builder);
    Path second = RunShared.folder(dir.resolve("run-2"), "corpus", builder);
    assertEquals(first, second);
    assertEquals(1, builds.get(), "the second asker (another JVM of the run) reuses it");
    assertEquals("built", Files.readString(first.resolve("data.txt")));
    assertFalse(Files.exists(older), "an older run's fixtures are deleted");
  }

  @Test
  void aBuildThatDidNotFinishIsNotTakenForTheFixture() throws IOException {
    Path run = dir.resolve("run");
    assertThrows(IOException.class, () -> RunShared.folder(run, "corpus", d -> {
      Files.writeString(d.resolve("half.txt"), "half");
      throw new IOException("the JVM building it died");
    }));
    Path rebuilt = RunShared.folder(run, "corpus", d -> Files.writeString(d.resolve("data.txt"), "whole"));
    assertFalse(Files.exists(rebuilt.resolve("half.txt")), "built again from an empty folder");
    assertEquals("whole", Files.readString(rebuilt.resolve("data.txt")));
  }
}
