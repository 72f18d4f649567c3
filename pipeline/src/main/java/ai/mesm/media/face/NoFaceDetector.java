package ai.mesm.media.face;

import java.awt.image.BufferedImage;
import java.util.Optional;

/** mesm.media.face.detector = none: every frame gets the centred fallback crop. */
public final class NoFaceDetector implements FaceDetector {
  @Override
  public Optional<FaceBox> detectLargest(BufferedImage rgb) {
    return Optional.empty();
  }
}
