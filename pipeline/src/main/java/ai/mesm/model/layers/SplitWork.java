package ai.mesm.model.layers;

/**
 * How finely the layers' own passes (BatchNorm + ReLU, the max-pool) split their work over the
 * cores. Handing a part to the common pool and waiting for it costs a thread wake-up each way,
 * several hundred microseconds on a busy 2-vCPU VM: at the tests' widths (activations under a
 * million values) one thread was 10–12 % faster over a whole training step, measured interleaved
 * (docs/performance.md). Each part still covers whole channels or planes, so the values are the
 * same however the work is split.
 */
final class SplitWork {
  /** Values a part must hold before a second thread is worth waking. */
  static final long MIN_VALUES_PER_PART = 1 << 19;

  private SplitWork() {}

  /** The least number of items (channels, planes) of {@code valuesPerItem} values each that make a part. */
  static int minItemsPerPart(long valuesPerItem) {
    return (int) Math.max(1, MIN_VALUES_PER_PART / Math.max(1, valuesPerItem));
  }
}
