package ai.mesm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmUpTest {
  @Test
  void runsAtLeastTheMinimumAndAtMostTheMaximum() {
    AtomicInteger calls = new AtomicInteger();
    WarmUp.run(calls::incrementAndGet, 3, 3);
    assertEquals(3, calls.get());

    calls.set(0);
    WarmUp.run(calls::incrementAndGet, 0, 5);
    assertEquals(0, calls.get(), "no warm-up asked for, none run");

    // A body the JIT compiles: more runs while it compiles, never beyond the maximum.
    calls.set(0);
    WarmUp.run(() -> {
      calls.incrementAndGet();
      busyCompile();
    }, 1, 4);
    assertTrue(calls.get() >= 1 && calls.get() <= 4, "runs: " + calls.get());
  }

  @Test
  void countsThisProcesssPageFaults(@TempDir Path dir) throws IOException {
    // A new mapping is fresh memory whatever the allocator holds (a direct buffer came from reused, already faulted
    // memory in the suite's long-lived JVM): writing each of its pages faults it in.
    int pages = 4096;
    try (FileChannel file = FileChannel.open(dir.resolve("pages"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer map = file.map(FileChannel.MapMode.READ_WRITE, 0, (long) pages * 4096);
      long before = WarmUp.minorFaults();
      assertTrue(before > 0, "minor faults readable on Linux: " + before);
      for (int i = 0; i < pages; i++) map.put(i * 4096, (byte) 1);
      long after = WarmUp.minorFaults();
      assertTrue(after - before >= pages / 16, "faults " + before + " then " + after + " after writing " + pages + " new pages");
    }
  }

  /** Work that the JIT compiles: a hot loop over a lambda. */
  private static void busyCompile() {
    long sum = 0;
    java.util.function.LongUnaryOperator f = x -> x * 31 + 7;
    for (int i = 0; i < 200_000; i++) sum = f.applyAsLong(sum);
    if (sum == 42) throw new AssertionError();
  }
}
