package ai.mesm.model.sparse;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the parts of one parallel step ({@link Rows#inParts}) on the calling thread and on worker
 * threads that spin for a moment after each step before they park, as OpenMP's threads do. MESM's
 * sparse blocks run ~16 such steps per inference call, most of them 0.1–3 ms long; ForkJoin's
 * common pool parks its workers at once, and waking one cost ~60 µs per step on a 2-core VM (a
 * 100 µs part took 160 µs on average), several percent of the blocks' time.
 *
 * <p>Only inside {@link #awake} (the blocks' inference, {@link SparseStack#infer}): spinning workers
 * take cycles from whatever else runs, which training's layers (ND4J's threads between the steps)
 * and several Spark task threads or executors on the same cores need. Elsewhere, and for a step
 * that finds the workers taken (another thread inside its own scope, or a part that itself splits
 * its work), the steps run on the common pool as before. A part's exception is rethrown on the
 * caller once every part has ended.
 */
final class PartRunner {
  /** How long a worker stays awake for the next step: longer than the serial gaps between a block's steps. */
  private static final long SPIN_NANOS = 300_000;
  private static final Worker[] WORKERS = startWorkers(Runtime.getRuntime().availableProcessors() - 1);
  private static final AtomicBoolean TAKEN = new AtomicBoolean();
  private static final ThreadLocal<int[]> SCOPES = ThreadLocal.withInitial(() -> new int[1]);

  private PartRunner() {}

  /** Marks this thread's steps for the spinning workers until the returned scope is closed; scopes nest. */
  static Scope awake() {
    SCOPES.get()[0]++;
    return () -> SCOPES.get()[0]--;
  }

  /** A scope of {@link #awake}. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Whether this thread is inside {@link #awake}. */
  static boolean isAwake() {
    return SCOPES.get()[0] > 0;
  }

  /** Runs parts [0, parts) of {@code body} over [0, n), part p on rows [n·p/parts, n·(p+1)/parts). */
  static void run(int n, int parts, Rows.RowRange body) {
    if (!isAwake() || parts - 1 > WORKERS.length || !TAKEN.compareAndSet(false, true)) {
      java.util.stream.IntStream.range(0, parts).parallel().forEach(p -> body.run(from(n, p, parts), from(n, p + 1, parts)));
      return;
    }
    try {
      Step step = new Step(n, parts, body);
      for (int p = 1; p < parts; p++) WORKERS[p - 1].hand(step, p);
      step.runPart(0);
      while (step.remaining.get() > 0) Thread.onSpinWait();
      step.rethrow();
    } finally {
      TAKEN.set(false);
    }
  }

  private static int from(int n, int part, int parts) {
    return (int) ((long) n * part / parts);
  }

  /** One parallel step: its parts still running, and the first failure. */
  private static final class Step {
    final int n;
    final int parts;
    final Rows.RowRange body;
    final AtomicInteger remaining;
    volatile Throwable failure;

    Step(int n, int parts, Rows.RowRange body) {
      this.n = n;
      this.parts = parts;
      this.body = body;
      this.remaining = new AtomicInteger(parts);
    }

    void runPart(int p) {
      try {
        body.run(from(n, p, parts), from(n, p + 1, parts));
      } catch (Throwable t) {
        if (failure == null) failure = t;
      } finally {
        remaining.decrementAndGet();
      }
    }

    void rethrow() {
      Throwable t = failure;
      if (t instanceof RuntimeException e) throw e;
      if (t instanceof Error e) throw e;
      if (t != null) throw new IllegalStateException(t);
    }
  }

  private static final class Worker implements Runnable {
    private volatile Step step;
    private volatile int part;
    private Thread thread;

    void hand(Step s, int p) {
      part = p;
      step = s; // published after the part: the worker reads step first
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      while (true) {
        Step s;
        long awakeUntil = System.nanoTime() + SPIN_NANOS;
        while ((s = step) == null) {
          if (System.nanoTime() < awakeUntil) {
            Thread.onSpinWait();
          } else {
            LockSupport.park(this);
            awakeUntil = System.nanoTime() + SPIN_NANOS;
          }
        }
        int p = part;
        step = null;
        s.runPart(p);
      }
    }
  }

  private static Worker[] startWorkers(int count) {
    Worker[] workers = new Worker[Math.max(0, count)];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker();
      Thread t = new Thread(workers[i], "mesm-parts-" + (i + 1));
      t.setDaemon(true);
      workers[i].thread = t;
      t.start();
    }
    return workers;
  }
}
