package ai.mesm.media;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.media.audio.MelSettings;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * Featurisation settings of docs/computation.md#media (mesm.media.*), shared by ingest and scoring.
 *
 * @param faceSearch       track (search near the previous sample's face) or exact (every sample in full)
 * @param fullSearchEvery  with track, a full search at least every this many samples
 * @param mtcnnKernels     auto, native or nd4j: which implementation runs MTCNN's layers
 * @param maxTextFileBytes the largest annotation or segment file read ({@link ai.mesm.io.TextFiles})
 * @param decodeThreads    FFmpeg's decoding threads per video (0 = its own choice)
 */
public record MediaSettings(int frameIntervalMs, String detector, String faceSearch, int fullSearchEvery, int faceSize,
                            int faceMargin, String mtcnnWeights,
                            int mtcnnMinFace, List<Double> mtcnnThresholds, double mtcnnFactor, String mtcnnKernels, int sampleRate,
                            int nFft, int winLength, int hopLength, int nMels, double fMin, double fMax,
                            int chunkFrames, long maxTextFileBytes, int decodeThreads) implements Serializable {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.location(MTCNN_WEIGHTS, true),
        Rules.atLeast(MEDIA_FRAME_INTERVAL_MS, 1),
        Rules.atLeast(MEDIA_DECODE_THREADS, 0),
        Rules.size(MEDIA_MAX_TEXT_FILE_SIZE, 1L << 10, 1L << 30),
        Rules.oneOf(FACE_DETECTOR, "auto", "mtcnn", "opencv", "none"),
        Rules.oneOf(FACE_SEARCH, "track", "exact"),
        Rules.atLeast(FACE_FULL_SEARCH_EVERY, 1),
        Rules.atLeast(FACE_SIZE, 8),
        Rules.atLeast(FACE_MARGIN, 0),
        new Rule(FACE_MARGIN, c -> c.getInt(FACE_MARGIN) >= c.getInt(FACE_SIZE)
            ? Optional.of("must be smaller than " + FACE_SIZE) : Optional.empty()),
        Rules.atLeast(MTCNN_MIN_FACE, 12),
        Rules.listOfFractions(MTCNN_THRESHOLDS, 3),
        Rules.oneOf(MTCNN_KERNELS, "auto", "native", "nd4j"),
        new Rule(MTCNN_FACTOR, c -> Rules.inOpen(c.getDouble(MTCNN_FACTOR), 0, 1) ? Optional.empty()
            : Optional.of("must be in (0, 1), was " + c.getDouble(MTCNN_FACTOR))),
        Rules.atLeast(AUDIO_SAMPLE_RATE, 1000),
        Rules.atLeast(AUDIO_N_FFT, 16),
        Rules.atLeast(AUDIO_WIN_LENGTH, 16),
        new Rule(AUDIO_WIN_LENGTH, c -> c.getInt(AUDIO_WIN_LENGTH) > c.getInt(AUDIO_N_FFT)
            ? Optional.of("must be <= " + AUDIO_N_FFT) : Optional.empty()),
        Rules.atLeast(AUDIO_HOP_LENGTH, 1),
        Rules.atLeast(AUDIO_N_MELS, 1),
        Rules.atLeast(AUDIO_CHUNK_FRAMES, 1),
        new Rule(AUDIO_F_MIN, c -> c.getDouble(AUDIO_F_MIN) < 0 || c.getDouble(AUDIO_F_MIN) >= c.getDouble(AUDIO_F_MAX)
            ? Optional.of("must be >= 0 and < " + AUDIO_F_MAX) : Optional.empty()),
        new Rule(AUDIO_F_MAX, c -> c.getDouble(AUDIO_F_MAX) > c.getInt(AUDIO_SAMPLE_RATE) / 2.0
            ? Optional.of("must be <= half of " + AUDIO_SAMPLE_RATE + " (" + c.getInt(AUDIO_SAMPLE_RATE) / 2.0 + ")")
            : Optional.empty()));
  }

  public static MediaSettings from(MesmConfig c) {
    return new MediaSettings(c.getInt(MEDIA_FRAME_INTERVAL_MS), c.getString(FACE_DETECTOR), c.getString(FACE_SEARCH),
        c.getInt(FACE_FULL_SEARCH_EVERY), c.getInt(FACE_SIZE), c.getInt(FACE_MARGIN), c.getString(MTCNN_WEIGHTS),
        c.getInt(MTCNN_MIN_FACE), c.getDoubleList(MTCNN_THRESHOLDS), c.getDouble(MTCNN_FACTOR), c.getString(MTCNN_KERNELS), c.getInt(AUDIO_SAMPLE_RATE), c.getInt(AUDIO_N_FFT), c.getInt(AUDIO_WIN_LENGTH),
        c.getInt(AUDIO_HOP_LENGTH), c.getInt(AUDIO_N_MELS), c.getDouble(AUDIO_F_MIN), c.getDouble(AUDIO_F_MAX),
        c.getInt(AUDIO_CHUNK_FRAMES), c.raw().getBytes(MEDIA_MAX_TEXT_FILE_SIZE), c.getInt(MEDIA_DECODE_THREADS));
  }

  /** The mel spectrogram's part of these settings. */
  public MelSettings mel() {
    return new MelSettings(sampleRate, nFft, winLength, hopLength, nMels, fMin, fMax, chunkFrames);
  }

  /** The detector actually used: "auto" is MTCNN, the paper's (its weights ship in the jar). */
  public String effectiveDetector() {
    return detector.equals("auto") ? "mtcnn" : detector;
  }

  /** A full face search every this many samples: 1 on the exact path. */
  public int fullSearchInterval() {
    return faceSearch.equals("exact") ? 1 : fullSearchEvery;
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
