package ai.mesm.media.face;

import java.nio.file.Path;

/** Placeholder until the MTCNN port lands: fails with a clear message. */
final class MtcnnFactory {
  private MtcnnFactory() {}

  static FaceDetector create(Path weights, int minFace, float[] thresholds, float factor) {
    throw new UnsupportedOperationException("the mtcnn face detector is not available yet; use "
        + "mesm.media.face.detector = opencv");
  }
}
