package ai.mesm.media.face;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * Finds the largest face in a frame (docs/computation.md#face-crops: the largest box is used). Implementations are not
 * required to be thread-safe: use one per thread (one per Spark task). Close releases natives.
 */
public interface FaceDetector extends AutoCloseable {
  /** @param rgb any BufferedImage; implementations convert as they need */
  Optional<FaceBox> detectLargest(BufferedImage rgb);

  /**
   * The largest face near where a face was in an earlier sample of the same video, or empty when
   * none is there (the caller then searches the whole frame: {@link FaceTracker}). Detectors
   * without a cheaper local search find nothing here, so the tracker's full search is their only
   * one (searching in full here too would search every such sample twice).
   */
  default Optional<FaceBox> detectNear(BufferedImage rgb, FaceBox previous) {
    return Optional.empty();
  }

  /**
   * The largest face, looking only for faces of about {@code smallestSide} pixels or more when
   * that finds one, and in full when it does not: what a periodic full search needs while a face
   * is tracked, since only a face about as large as the tracked one can take over. Detectors
   * without a cheaper search search in full.
   */
  default Optional<FaceBox> detectLargest(BufferedImage rgb, double smallestSide) {
    return detectLargest(rgb);
  }

  @Override
  default void close() {}
}
