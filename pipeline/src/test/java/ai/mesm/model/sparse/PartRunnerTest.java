package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Parallel steps on the spinning workers: every row once, failures rethrown, concurrent and nested callers served. */
class PartRunnerTest {
  private static void assertEachRowOnce(int n, int parts) {
    AtomicIntegerArray seen = new AtomicIntegerArray(n);
    PartRunner.run(n, parts, (from, to) -> {
      for (int i = from; i < to; i++) seen.incrementAndGet(i);
    });
    for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "row " + i + " of " + n + " in " + parts + " parts");
  }

  @Test
  void everyRowRunsOnceWhateverTheSplitInsideTheScopeAndOutside() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertFalse(PartRunner.isAwake());
    try (PartRunner.Scope outer = PartRunner.awake(); PartRunner.Scope nested = PartRunner.awake()) {
      assertTrue(PartRunner.isAwake());
      for (int n : new int[] {1, 2, 7, 1000, 100_003}) {
        for (int parts = 1; parts <= Math.min(n, cores + 2); parts++) assertEachRowOnce(n, parts);
      }
    }
    assertFalse(PartRunner.isAwake(), "scopes close");
    for (int parts = 1; parts <= cores; parts++) assertEachRowOnce(1000, parts); // the common pool
  }

  @Test
  void aPartsFailureReachesTheCallerAndTheWorkersStayUsable() {
    try (PartRunner.Scope awake = PartRunner.awake()) {
      partsFailures();
    }
  }

  private static void partsFailures() {
    for (int failing = 0; failing < 2; failing++) {
      int bad = failing;
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> PartRunner.run(10, 2, (from, to) -> {
        if (from == bad * 5) throw new IllegalStateException("part " + bad);
      }));
      assertEquals("part " + bad, e.getMessage());
      assertEachRowOnce(1000, 2);
    }
  }

  /** Each part splits its own rows again: the workers are taken, so the inner steps take the common pool. */
  private static void nestedSteps() {
    AtomicIntegerArray seen = new AtomicIntegerArray(64);
    Rows.inParts(64, 16, (from, to) -> Rows.inParts(to - from, 1, (a, b) -> {
      for (int i = from + a; i < from + b; i++) seen.incrementAndGet(i);
    }));
    for (int i = 0; i < 64; i++) assertEquals(1, seen.get(i));
  }

  @Test
  void concurrentAndNestedCallersAllComplete() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      Future<?>[] done = new Future<?>[3];
      for (int c = 0; c < done.length; c++) {
        done[c] = callers.submit(() -> {
          try (PartRunner.Scope awake = PartRunner.awake()) {
            for (int round = 0; round < 300; round++) nestedSteps();
          }
          return null;
        });
      }
      for (Future<?> f : done) f.get();
    } finally {
      callers.shutdownNow();
    }
  }
}
