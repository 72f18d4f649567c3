package ai.mesm.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Untimed runs before a measurement: at least a given number, and more while the process is still warming up. Two
 * things were seen to last well past a fixed warm-up on the 2-core VM: the JIT, whose compiler threads take a core
 * from the code being timed (MESM's sparse blocks compile for ~5 s after their first call), and fresh memory, each
 * page of which costs a fault the first time it is touched (a paper-width training step faulted 20,000–40,000 pages,
 * 80–160 MB, for its first ~12 steps, ~0.5 s of a 3 s step, then a few hundred).
 */
final class WarmUp {
  /** The JIT's compiling time, as a share of the run, below which a run counts as warm. */
  private static final double COMPILING_SHARE = 0.02;
  /** Minor page faults per millisecond of the run below which it counts as warm (~5 µs each here: 2 % of the run). */
  private static final double FAULTS_PER_MS = 4;
  private static final Path STAT = Path.of("/proc/self/stat");

  private WarmUp() {}

  /** Runs {@code body} at least {@code min} and at most {@code max} times, stopping after the first warm run past the minimum. */
  static void run(Runnable body, int min, int max) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
    boolean warm = true;
    for (int r = 0; r < max && (r < min || !warm); r++) {
      long compiledMs = jitTimed ? jit.getTotalCompilationTime() : 0;
      long faults = minorFaults();
      long t0 = System.nanoTime();
      body.run();
      double ms = (System.nanoTime() - t0) / 1e6;
      boolean compiling = jitTimed && jit.getTotalCompilationTime() - compiledMs > COMPILING_SHARE * ms;
      boolean faulting = faults >= 0 && minorFaults() - faults > FAULTS_PER_MS * ms;
      warm = !compiling && !faulting;
    }
  }

  /** This process's minor page faults so far (Linux), or -1 where they cannot be read. */
  static long minorFaults() {
    try {
      String stat = Files.readString(STAT);
      // Fields after the command name, which is in parentheses and may hold spaces: state is the 3rd, minflt the 10th.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
