package ai.mesm.media.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Power mel spectrogram with torchaudio's MelSpectrogram semantics as the reference used it:
 * centred frames with reflect padding, periodic Hann window, one-sided DFT of n_fft points,
 * |X|², HTK mel filterbank without normalisation, no log. Thread-safe after construction.
 */
public final class MelSpectrogram {
  private final MelSettings s;
  private final int bins;
  private final double[] window;
  private final double[][] cos;
  private final double[][] sin;
  private final float[][] filterbank;
  private final int[] firstBin;
  private final int[] lastBin;

  public MelSpectrogram(MelSettings settings) {
    this.s = settings;
    this.bins = s.nFft() / 2 + 1;
    // torch.stft centres a shorter window inside n_fft with zeros on both sides.
    window = new double[s.nFft()];
    int offset = (s.nFft() - s.winLength()) / 2;
    for (int n = 0; n < s.winLength(); n++) {
      window[offset + n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / s.winLength());
    }
    cos = new double[bins][s.nFft()];
    sin = new double[bins][s.nFft()];
    for (int k = 0; k < bins; k++) {
      for (int n = 0; n < s.nFft(); n++) {
        double a = 2 * Math.PI * ((long) k * n % s.nFft()) / s.nFft();
        cos[k][n] = Math.cos(a) * window[n];
        sin[k][n] = Math.sin(a) * window[n];
      }
    }
    filterbank = melFilterbank(bins, s.sampleRate(), s.nMels(), s.fMin(), s.fMax());
    firstBin = new int[s.nMels()];
    lastBin = new int[s.nMels()];
    for (int m = 0; m < s.nMels(); m++) {
      firstBin[m] = bins;
      lastBin[m] = -1;
      for (int k = 0; k < bins; k++) {
        if (filterbank[k][m] != 0) {
          firstBin[m] = Math.min(firstBin[m], k);
          lastBin[m] = k;
        }
      }
    }
  }

  public MelSettings settings() {
    return s;
  }

  /** [nFreqs][nMels], as torchaudio.functional.melscale_fbanks(norm=None, mel_scale="htk"). */
  public float[][] filterbank() {
    float[][] copy = new float[filterbank.length][];
    for (int i = 0; i < copy.length; i++) copy[i] = filterbank[i].clone();
    return copy;
  }

  /** Number of frames torch gives for {@code samples} samples with centre padding. */
  public int frames(int samples) {
    return 1 + samples / s.hopLength();
  }

  /**
   * @param mono samples; more than n_fft/2 of them (reflect padding needs it, as in torch)
   * @return [nMels][frames]
   */
  public float[][] compute(float[] mono) {
    int pad = s.nFft() / 2;
    if (mono.length <= pad) {
      throw new IllegalArgumentException("need more than " + pad + " samples for reflect padding, got " + mono.length);
    }
    int frames = frames(mono.length);
    float[][] out = new float[s.nMels()][frames];
    double[] frame = new double[s.nFft()];
    double[] power = new double[bins];
    for (int t = 0; t < frames; t++) {
      int start = t * s.hopLength() - pad;
      for (int n = 0; n < s.nFft(); n++) frame[n] = mono[reflect(start + n, mono.length)];
      for (int k = 0; k < bins; k++) {
        double re = 0;
        double im = 0;
        double[] c = cos[k];
        double[] sn = sin[k];
        for (int n = 0; n < frame.length; n++) {
          re += frame[n] * c[n];
          im += frame[n] * sn[n];
        }
        power[k] = re * re + im * im;
      }
      for (int m = 0; m < s.nMels(); m++) {
        double sum = 0;
        for (int k = firstBin[m]; k <= lastBin[m]; k++) sum += filterbank[k][m] * power[k];
        out[m][t] = (float) sum;
      }
    }
    return out;
  }

  /** Index into a signal of length n with reflect padding (x[-1] = x[1], x[n] = x[n-2]). */
  static int reflect(int i, int n) {
    int period = 2 * (n - 1);
    if (period == 0) return 0;
    int j = Math.floorMod(i, period);
    return j < n ? j : period - j;
  }

  /**
   * Cuts [nMels][frames] into chunks of {@code chunkFrames} frames, the last one zero-padded. Each
   * chunk is flattened mel-major: index = mel · chunkFrames + frame.
   */
  public static List<float[]> chunks(float[][] mel, int chunkFrames) {
    int nMels = mel.length;
    int frames = mel[0].length;
    List<float[]> out = new ArrayList<>();
    for (int start = 0; start < frames; start += chunkFrames) {
      float[] chunk = new float[nMels * chunkFrames];
      int len = Math.min(chunkFrames, frames - start);
      for (int m = 0; m < nMels; m++) System.arraycopy(mel[m], start, chunk, m * chunkFrames, len);
      out.add(chunk);
    }
    return out;
  }

  static float[][] melFilterbank(int nFreqs, int sampleRate, int nMels, double fMin, double fMax) {
    double[] allFreqs = new double[nFreqs];
    for (int i = 0; i < nFreqs; i++) allFreqs[i] = (sampleRate / 2.0) * i / (nFreqs - 1);
    double mMin = hzToMel(fMin);
    double mMax = hzToMel(fMax);
    double[] fPts = new double[nMels + 2];
    for (int i = 0; i < nMels + 2; i++) fPts[i] = melToHz(mMin + (mMax - mMin) * i / (nMels + 1));
    float[][] fb = new float[nFreqs][nMels];
    for (int i = 0; i < nFreqs; i++) {
      for (int m = 0; m < nMels; m++) {
        double down = (allFreqs[i] - fPts[m]) / (fPts[m + 1] - fPts[m]);
        double up = (fPts[m + 2] - allFreqs[i]) / (fPts[m + 2] - fPts[m + 1]);
        fb[i][m] = (float) Math.max(0, Math.min(down, up));
      }
    }
    return fb;
  }

  public static double hzToMel(double hz) {
    return 2595.0 * Math.log10(1.0 + hz / 700.0);
  }

  public static double melToHz(double mel) {
    return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
  }
}
