package ai.mesm.io;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Two independent Spark actions at once, for a stage's last writes: one task each, so that with
 * two cores the second no longer waits for the first. The second runs on a thread started here,
 * which inherits Spark's thread-local job properties as any thread started by the driver's does.
 * Both always end before this returns; the first failure is rethrown with the other attached.
 */
public final class SideBySide {
  /** An action that may throw what a Spark write throws. */
  public interface Action {
    void run() throws Exception;
  }

  private SideBySide() {}

  public static void run(String name, Action first, Action second) throws java.io.IOException {
    AtomicReference<Exception> secondFailed = new AtomicReference<>();
    Thread beside = new Thread(() -> {
      try {
        second.run();
      } catch (Exception e) {
        secondFailed.set(e);
      }
    }, name);
    beside.setDaemon(true);
    beside.start();
    Exception failed = null;
    try {
      first.run();
    } catch (Exception e) {
      failed = e;
    }
    try {
      beside.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while " + name + " ran");
    }
    Exception other = secondFailed.get();
    if (failed == null) failed = other;
    else if (other != null) failed.addSuppressed(other);
    if (failed != null) rethrow(failed);
  }

  /** As thrown: a Spark action throws SparkException without declaring it, and callers see it so without this class. */
  @SuppressWarnings("unchecked")
  private static <T extends Exception> void rethrow(Exception e) throws T {
    throw (T) e;
  }
}
