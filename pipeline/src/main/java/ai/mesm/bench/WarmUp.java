package ai.mesm.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Untimed runs before a measurement: at least a given number, and more while the JIT compiles. Its compiler threads
 * take one of the two cores from the code being timed: MESM's sparse blocks compile for ~5 s after their first call,
 * during which a "fastest of 5" round was still compiler-bound.
 */
final class WarmUp {
  /** The JIT's compilation time, as a share of the last untimed run, below which the code counts as compiled. */
  private static final double COMPILING_SHARE = 0.02;

  private WarmUp() {}

  /** Runs {@code body} at least {@code min} and at most {@code max} times, stopping once a run's compiling was negligible. */
  static void run(Runnable body, int min, int max) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    boolean compiling = false;
    for (int r = 0; r < max && (r < min || compiling); r++) {
      long compiledMs = timed ? jit.getTotalCompilationTime() : 0;
      long t0 = System.nanoTime();
      body.run();
      double ms = (System.nanoTime() - t0) / 1e6;
      compiling = timed && jit.getTotalCompilationTime() - compiledMs > COMPILING_SHARE * ms;
    }
  }
}
