package ai.mesm.media.face;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs ND4J's native work of the calling thread on that thread alone while open, and restores
 * the thread's setting on close. Media work is spread over Spark tasks, one per core, so native
 * worker threads per call only oversubscribe the cores: their spinning competes with the other
 * tasks and with the Java work between calls. OpenMP's thread count is a per-thread setting, so other
 * threads (training, in the same JVM) keep theirs. Measured: MTCNN alone ~25 % faster with one
 * OpenMP thread; whole ingests A/B on the 2-core machine within its noise (37.4 vs 43.9 s and
 * 50.3 vs 49.8 s): kept because it is what one core per task means, not for a measured gain.
 */
final class OneNativeThread implements AutoCloseable {
  /** ND4J's backend must be loaded before its native ops are reached directly. */
  private static final NativeOps OPS = ops();
  private final NativeOps ops = OPS;
  private final int before;

  OneNativeThread() {
    before = ops.ompGetMaxThreads();
    ops.setOmpNumThreads(1);
  }

  private static NativeOps ops() {
    Nd4j.getExecutioner();
    return NativeOpsHolder.getInstance().getDeviceNativeOps();
  }

  @Override
  public void close() {
    ops.setOmpNumThreads(before);
  }
}
