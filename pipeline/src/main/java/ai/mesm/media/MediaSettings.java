package ai.mesm.media;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.media.audio.MelSettings;
import java.io.Serializable;
import java.util.List;

/**
 * Featurisation settings of docs/computation.md#media (mesm.media.*), shared by ingest and scoring.
 *
 * @param maxTextFileBytes the largest annotation or segment file read ({@link ai.mesm.io.TextFiles})
 */
public record MediaSettings(int frameIntervalMs, String detector, int faceSize, int faceMargin, String mtcnnWeights,
                            int mtcnnMinFace, List<Double> mtcnnThresholds, double mtcnnFactor, int sampleRate,
                            int nFft, int winLength, int hopLength, int nMels, double fMin, double fMax,
                            int chunkFrames, long maxTextFileBytes) implements Serializable {

  public static MediaSettings from(MesmConfig c) {
    return new MediaSettings(c.getInt(MEDIA_FRAME_INTERVAL_MS), c.getString(FACE_DETECTOR), c.getInt(FACE_SIZE),
        c.getInt(FACE_MARGIN), c.getString(MTCNN_WEIGHTS), c.getInt(MTCNN_MIN_FACE), c.getDoubleList(MTCNN_THRESHOLDS),
        c.getDouble(MTCNN_FACTOR), c.getInt(AUDIO_SAMPLE_RATE), c.getInt(AUDIO_N_FFT), c.getInt(AUDIO_WIN_LENGTH),
        c.getInt(AUDIO_HOP_LENGTH), c.getInt(AUDIO_N_MELS), c.getDouble(AUDIO_F_MIN), c.getDouble(AUDIO_F_MAX),
        c.getInt(AUDIO_CHUNK_FRAMES), c.raw().getBytes(MEDIA_MAX_TEXT_FILE_SIZE));
  }

  /** The mel spectrogram's part of these settings. */
  public MelSettings mel() {
    return new MelSettings(sampleRate, nFft, winLength, hopLength, nMels, fMin, fMax, chunkFrames);
  }

  /** The detector actually used: "auto" resolves to mtcnn when weights are configured, else opencv. */
  public String effectiveDetector() {
    if (!detector.equals("auto")) return detector;
    return mtcnnWeights.isBlank() ? "opencv" : "mtcnn";
  }

  /** The sampled times of a window: start, start + interval, ... while before the end. */
  public double[] frameTimes(double startS, double endS) {
    double step = frameIntervalMs / 1000.0;
    int n = (int) Math.max(0, Math.ceil((endS - startS) / step - 1e-9));
    double[] t = new double[n];
    for (int k = 0; k < n; k++) t[k] = startS + k * step;
    return t;
  }
}
