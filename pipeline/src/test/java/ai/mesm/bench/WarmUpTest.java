package ai.mesm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
  void countsThisProcesssPageFaults() {
    long before = WarmUp.minorFaults();
    assertTrue(before > 0, "minor faults readable on Linux: " + before);
    // 64 MB of fresh native memory, zeroed as it is allocated: its first touches are minor faults.
    java.nio.ByteBuffer fresh = java.nio.ByteBuffer.allocateDirect(64 << 20);
    long after = WarmUp.minorFaults();
    assertTrue(after > before, "faults " + before + " then " + after + " after touching " + fresh.capacity() + " bytes");
  }

  /** Work that the JIT compiles: a hot loop over a lambda. */
  private static void busyCompile() {
    long sum = 0;
    java.util.function.LongUnaryOperator f = x -> x * 31 + 7;
    for (int i = 0; i < 200_000; i++) sum = f.applyAsLong(sum);
    if (sum == 42) throw new AssertionError();
  }
}
