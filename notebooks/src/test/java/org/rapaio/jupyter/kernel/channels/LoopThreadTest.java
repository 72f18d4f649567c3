package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stand-in for the kernel's channel loop (docs/notebooks.md): it must never end before its first pass. */
class LoopThreadTest {
  @Test
  void everyStartedLoopRunsItsBodyUntilShutDown() throws Exception {
    // The kernel's own class lost this race about one start in four; a few hundred starts would see it.
    for (int i = 0; i < 300; i++) {
      CountDownLatch passes = new CountDownLatch(3);
      LoopThread loop = new LoopThread("loop-" + i, 0, passes::countDown);
      loop.start();
      assertTrue(passes.await(10, TimeUnit.SECONDS), "loop " + i + " stopped before its third pass");
      loop.shutdown();
      loop.join(10_000);
      assertFalse(loop.isAlive(), "loop " + i + " still running after shutdown");
    }
  }

  @Test
  void aPassThatThrowsDoesNotEndTheLoop() throws Exception {
    // As the shell channel's first pass does when a request arrives before the kernel's handlers exist.
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    CountDownLatch later = new CountDownLatch(2);
    LoopThread loop = new LoopThread("throws-once", 0, () -> {
      if (calls.getAndIncrement() == 0) throw new NullPointerException("handlers not set yet");
      later.countDown();
    });
    loop.start();
    assertTrue(later.await(10, TimeUnit.SECONDS), "the loop ended after its failing pass");
    loop.shutdown();
    loop.join(10_000);
    assertFalse(loop.isAlive());
  }

  @Test
  void anInterruptEndsTheLoop() throws Exception {
    LoopThread loop = new LoopThread("interrupted", 50, () -> {});
    loop.start();
    loop.interrupt();
    loop.join(10_000);
    assertFalse(loop.isAlive());
  }
}
