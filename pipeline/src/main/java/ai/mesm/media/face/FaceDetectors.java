package ai.mesm.media.face;

import ai.mesm.media.LocalCopy;
import ai.mesm.media.MediaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;

/** Builds the detector mesm.media.face.detector names, one per task (detectors are not thread-safe). */
public final class FaceDetectors {
  public static final String[] MTCNN_FILES = {"pnet.safetensors", "rnet.safetensors", "onet.safetensors"};

  private FaceDetectors() {}

  public static FaceDetector create(MediaSettings s, Configuration conf) {
    return switch (s.effectiveDetector()) {
      case "none" -> new NoFaceDetector();
      case "opencv" -> new OpenCvFaceDetector(s.mtcnnMinFace());
      case "mtcnn" -> mtcnn(s, conf);
      default -> throw new IllegalArgumentException("unknown face detector " + s.detector());
    };
  }

  private static FaceDetector mtcnn(MediaSettings s, Configuration conf) {
    try {
      Path dir = Files.createTempDirectory("mesm-mtcnn-");
      for (String name : MTCNN_FILES) {
        String location = s.mtcnnWeights().replaceAll("/+$", "") + "/" + name;
        try (LocalCopy copy = LocalCopy.of(location, conf)) {
          Files.copy(copy.path(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new IOException("MTCNN weights: cannot read " + location + " (mesm.media.face.mtcnn.weights): "
              + e.getMessage(), e);
        }
      }
      float[] thresholds = new float[3];
      for (int i = 0; i < 3; i++) thresholds[i] = s.mtcnnThresholds().get(i).floatValue();
      return MtcnnFactory.create(dir, s.mtcnnMinFace(), thresholds, (float) s.mtcnnFactor());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
