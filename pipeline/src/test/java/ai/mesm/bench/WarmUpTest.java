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

  /** Work that the JIT compiles: a hot loop over a lambda. */
  private static void busyCompile() {
    long sum = 0;
    java.util.function.LongUnaryOperator f = x -> x * 31 + 7;
    for (int i = 0; i < 200_000; i++) sum = f.applyAsLong(sum);
    if (sum == 42) throw new AssertionError();
  }
}
