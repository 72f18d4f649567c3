package ai.mesm.media;

import java.io.Serializable;
import java.util.Map;

/**
 * Where a video's media time went, by step (what make bench splits ingest and scoring into). Read
 * with {@link System#nanoTime()} around each step; one per stream, not thread-safe.
 */
public final class MediaTimes implements Serializable {
  /** The steps of cutting a video: decoding frames, converting sampled ones, face search, crop, audio, mel. */
  public enum Step { DECODE, CONVERT, DETECT, CROP, AUDIO, MEL }

  private final long[] nanos = new long[Step.values().length];

  /** Adds the time since {@code startNanos} (a {@link System#nanoTime()} reading) to the step. */
  void add(Step step, long startNanos) {
    nanos[step.ordinal()] += System.nanoTime() - startNanos;
  }

  public long nanos(Step step) {
    return nanos[step.ordinal()];
  }

  /** Seconds per step, lower-case step names. */
  public Map<String, Double> seconds() {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (Step s : Step.values()) out.put(s.name().toLowerCase(java.util.Locale.ROOT), nanos[s.ordinal()] / 1e9);
    return out;
  }

  /** Sums seconds-per-step maps (as {@link #seconds()} gives them) into {@code into}. */
  public static void addTo(Map<String, Double> into, Map<String, Double> seconds) {
    seconds.forEach((k, v) -> into.merge(k, v, Double::sum));
  }
}
