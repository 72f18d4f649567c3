package ai.mesm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap a stretch of a run needed, from the JVM's own counters. The heap pools' peak usage
 * counts garbage not yet collected, so it says how far the collector let the heap grow rather
 * than what the work kept; and after a young collection the old generation still holds whatever
 * died there. What the work really holds is measured by a full collection every half second: the
 * live heap, sampled (a spike shorter than that can slip through; holding a whole audio track or
 * all cuts of a video cannot). The collections slow the stretch down: for memory, not speed.
 */
public final class HeapPeaks implements AutoCloseable {
  private static final long SAMPLE_MS = 500;

  private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).toList();
  private final AtomicLong peakLive = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heap-sampler");
    t.setDaemon(true);
    return t;
  });
  private final long baseline;

  private HeapPeaks() {
    baseline = live();
    peakLive.set(baseline);
    pools.forEach(MemoryPoolMXBean::resetPeakUsage);
    sampler.scheduleWithFixedDelay(() -> peakLive.accumulateAndGet(live(), Math::max), SAMPLE_MS, SAMPLE_MS,
        TimeUnit.MILLISECONDS);
  }

  /** Starts measuring from what is live now. */
  public static HeapPeaks start() {
    return new HeapPeaks();
  }

  /** Live heap at the start: the fixed part (JVM, Spark, what earlier work left). */
  public long baselineBytes() {
    return baseline;
  }

  /** The most live heap sampled since the start. */
  public long peakLiveBytes() {
    return peakLive.get();
  }

  /** The sum of the heap pools' peaks since the start (garbage included; pools peak at different times). */
  public long peakUsedBytes() {
    return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  private long live() {
    System.gc();
    return pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
