package ai.mesm.media.face;

import ai.mesm.io.SafetensorsFile;
import ai.mesm.media.LocalCopy;
import ai.mesm.media.MediaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/** Builds the detector mesm.media.face.detector names, one per task (detectors are not thread-safe). */
public final class FaceDetectors {

  private FaceDetectors() {}

  public static FaceDetector create(MediaSettings s, Configuration conf) {
    return switch (s.effectiveDetector()) {
      case "none" -> new NoFaceDetector();
      case "opencv" -> new OpenCvFaceDetector(s.mtcnnMinFace());
      case "mtcnn" -> mtcnn(s, conf);
      default -> throw new IllegalArgumentException("unknown face detector " + s.detector());
    };
  }

  /** MTCNN with the weights mesm.media.face.mtcnn.weights names, or those shipped in the jar when it is empty. */
  private static FaceDetector mtcnn(MediaSettings s, Configuration conf) {
    float[] thresholds = new float[3];
    for (int i = 0; i < 3; i++) thresholds[i] = s.mtcnnThresholds().get(i).floatValue();
    try {
      MtcnnNets nets = s.mtcnnWeights().isBlank() ? MtcnnNets.shipped()
          : MtcnnNets.read(file -> read(s.mtcnnWeights(), file, conf));
      nets = nets.withKernels(s.mtcnnKernels());
      return new MtcnnFaceDetector(nets, s.mtcnnMinFace(), thresholds, (float) s.mtcnnFactor());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SafetensorsFile read(String folder, String name, Configuration conf) throws IOException {
    String location = folder.replaceAll("/+$", "") + "/" + name;
    try (LocalCopy copy = LocalCopy.of(location, conf)) {
      return SafetensorsFile.read(copy.path());
    } catch (IOException e) {
      throw new IOException("MTCNN weights: cannot read " + location + " (mesm.media.face.mtcnn.weights): "
          + e.getMessage(), e);
    }
  }
}
