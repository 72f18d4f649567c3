package ai.mesm.media.audio;

import java.io.Serializable;

/** Parameters of the power mel spectrogram (docs/computation.md#mel-spectrogram). */
public record MelSettings(int sampleRate, int nFft, int winLength, int hopLength, int nMels, double fMin, double fMax,
                          int chunkFrames) implements Serializable {

  /** The reference's torchaudio settings: 16 kHz, n_fft = window = 400, hop 200, 128 HTK mels over 0–8 kHz, 32-frame chunks. */
  public static MelSettings reference() {
    return new MelSettings(16000, 400, 400, 200, 128, 0.0, 8000.0, 32);
  }
}
