package ai.mesm.media.face;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * Follows the face of one video region (a whole frame, or one actor's half) from sample to sample
 * (docs/computation.md#face-crops): after a face is found, the next sample is searched near it
 * only ({@link FaceDetector#detectNear}); the whole frame is searched again when that finds
 * nothing (the face left, or moved too far), when no face was found before, and every
 * {@code fullEvery} samples, so that a larger face that appears elsewhere takes over within that
 * many samples; that periodic search looks for faces of at least {@link #TAKEOVER_FRACTION} of
 * the tracked one's side ({@link FaceDetector#detectLargest(BufferedImage, double)}), the only ones
 * that can take over. {@code fullEvery} = 1 is the exact path: every sample searched in full.
 *
 * <p>One tracker per region and video, used in sample order; not thread-safe.
 */
public final class FaceTracker {
  private final FaceDetector detector;
  private final int fullEvery;
  private FaceBox last;
  private int sinceFull;
  private long full;
  private long near;
  private long lost;

  /** The smallest face a periodic full search looks for, as a fraction of the tracked face's side. */
  static final double TAKEOVER_FRACTION = 0.7;

  public FaceTracker(FaceDetector detector, int fullEvery) {
    if (fullEvery < 1) throw new IllegalArgumentException("fullEvery must be at least 1, was " + fullEvery);
    this.detector = detector;
    this.fullEvery = fullEvery;
  }

  /** Full searches made so far. */
  public long fullSearches() {
    return full;
  }

  /** Near searches made so far, including those that found nothing ({@link #lost()}). */
  public long nearSearches() {
    return near;
  }

  /** Near searches that found nothing, each followed by a full search. */
  public long lost() {
    return lost;
  }

  /** The largest face of this sample, as {@link FaceDetector#detectLargest} would find it in full. */
  public Optional<FaceBox> next(BufferedImage region) {
    if (last != null && sinceFull < fullEvery - 1) {
      near++;
      Optional<FaceBox> found = detector.detectNear(region, last);
      if (found.isPresent()) {
        sinceFull++;
        last = found.get();
        return found;
      }
      lost++;
    }
    full++;
    // A periodic search while a face is tracked looks for faces that could take over (as large as
    // it, give or take the sample-to-sample change of its box); after a lost face, for any face.
    boolean periodic = fullEvery > 1 && last != null && sinceFull >= fullEvery - 1;
    Optional<FaceBox> found = periodic
        ? detector.detectLargest(region, TAKEOVER_FRACTION * Math.max(last.width(), last.height()))
        : detector.detectLargest(region);
    sinceFull = 0;
    last = found.orElse(null);
    return found;
  }
}
