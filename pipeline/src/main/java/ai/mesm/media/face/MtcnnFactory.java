package ai.mesm.media.face;

import java.io.IOException;
import java.nio.file.Path;

/** Builds the MTCNN detector from a local folder of weights (FaceDetectors copies remote ones there). */
final class MtcnnFactory {
  private MtcnnFactory() {}

  static FaceDetector create(Path weights, int minFace, float[] thresholds, float factor) throws IOException {
    return new MtcnnFaceDetector(weights, minFace, thresholds, factor);
  }
}
