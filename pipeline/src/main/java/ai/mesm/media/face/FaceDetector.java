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

  @Override
  default void close() {}
}
