package ai.mesm.media.face;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * Follows the face of one video region (a whole frame, or one actor's half) from sample to sample
 * (docs/computation.md#face-crops): after a face is found, the next sample is searched near it
 * only ({@link FaceDetector#detectNear}); the whole frame is searched again when that finds
 * nothing (the face left, or moved too far), when no face was found before, and every
 * {@code fullEvery} samples, so that a larger face that appears elsewhere takes over within that
 * many samples. {@code fullEvery} = 1 is the exact path: every sample searched in full.
 *
 * <p>One tracker per region and video, used in sample order; not thread-safe.
 */
public final class FaceTracker {
  private final FaceDetector detector;
  private final int fullEvery;
  private FaceBox last;
  private int sinceFull;
  private final Counts counts;

  /** Searches made, by kind: full searches, near searches, and near searches that found nothing. */
  public static final class Counts {
    private long full;
    private long near;
    private long lost;

    public synchronized long full() {
      return full;
    }

    public synchronized long near() {
      return near;
    }

    public synchronized long lost() {
      return lost;
    }

    synchronized void add(long f, long n, long l) {
      full += f;
      near += n;
      lost += l;
    }
  }

  /** @param counts where the searches made are counted (shared by the trackers of a task) */
  public FaceTracker(FaceDetector detector, int fullEvery, Counts counts) {
    if (fullEvery < 1) throw new IllegalArgumentException("fullEvery must be at least 1, was " + fullEvery);
    this.detector = detector;
    this.fullEvery = fullEvery;
    this.counts = counts;
  }

  /** The largest face of this sample, as {@link FaceDetector#detectLargest} would find it in full. */
  public Optional<FaceBox> next(BufferedImage region) {
    if (last != null && sinceFull < fullEvery - 1) {
      Optional<FaceBox> near = detector.detectNear(region, last);
      if (near.isPresent()) {
        counts.add(0, 1, 0);
        sinceFull++;
        last = near.get();
        return near;
      }
      counts.add(0, 1, 1);
    }
    counts.add(1, 0, 0);
    Optional<FaceBox> full = detector.detectLargest(region);
    sinceFull = 0;
    last = full.orElse(null);
    return full;
  }
}
