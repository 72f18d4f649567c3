package ai.mesm.model.layers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The product's CNN and encoder layers note which of them a thread is running, while a sampling
 * profiler listens ({@code ai.mesm.bench.StepProfile}): a stack names the layer's class but not
 * which of the visual, audio or text networks it belongs to. Off (one volatile read per layer
 * call) unless a profile is being taken.
 */
public final class RunningLayer {
  private static volatile boolean listening;
  private static final Map<Thread, Object> RUNNING = new ConcurrentHashMap<>();

  private RunningLayer() {}

  /** Starts or stops noting; either forgets what was noted. */
  public static void listen(boolean on) {
    listening = on;
    RUNNING.clear();
  }

  /** The layer or vertex {@code thread} entered last while noting was on, or null. */
  public static Object of(Thread thread) {
    return RUNNING.get(thread);
  }

  static void enter(Object layer) {
    if (listening) RUNNING.put(Thread.currentThread(), layer);
  }
}
