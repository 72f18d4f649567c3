package ai.mesm.media.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Power mel spectrogram with the semantics of the reference's
 * {@code torchaudio.transforms.MelSpectrogram(sample_rate, n_fft, win_length, hop_length, f_min, f_max, n_mels,
 * window_fn=torch.hann_window, power=2.0, center=True, pad_mode="reflect", normalized=False, onesided=True,
 * norm=None, mel_scale="htk")} (docs/computation.md#mel-spectrogram):
 *
 * <ul>
 *   <li>the signal is padded by n_fft/2 samples on both sides by reflection without repeating the edge
 *       ({@code x[-1] = x[1]}, {@code x[len] = x[len-2]}), giving {@code 1 + len / hop} frames;
 *   <li>each frame of n_fft samples is multiplied by a periodic Hann window of win_length points, centred in
 *       n_fft with zeros on both sides when win_length &lt; n_fft (as torch.stft does);
 *   <li>one-sided DFT of n_fft points (n_fft/2 + 1 bins), power {@code re² + im²};
 *   <li>HTK mel filterbank without area normalisation ({@code melscale_fbanks(norm=None, mel_scale="htk")});
 *       no log, no normalisation of the result.
 * </ul>
 *
 * <p>The DFT is an exact mixed-radix FFT (any n_fft; 400 = 2·200 via the real-input half-length trick,
 * 200 = 4·2·5·5), computed in double precision, as are the power and the mel sums; the result is rounded to
 * float32 once at the end. The filterbank is computed in float32 exactly as torch does (see
 * {@link #melFilterbank}). torch runs its STFT in float32, so values agree with it to float32 precision, not
 * bit for bit.
 *
 * <p>Input length: torch's reflect padding needs more samples than the padding, so {@link #compute} rejects
 * inputs of {@code n_fft/2} samples or fewer (200 for the reference settings, i.e. 12.5 ms) with an
 * {@link IllegalArgumentException}; an empty input is rejected the same way.
 *
 * <p>Immutable and thread-safe after construction: {@link #compute} allocates its own scratch buffers.
 */
public final class MelSpectrogram {
  private final MelSettings s;
  private final int nFft;
  private final int bins;
  private final int pad;
  private final double[] window;
  /** Complex FFT of length nFft/2 (even nFft, real-input trick) or nFft (odd nFft). */
  private final ComplexFft fft;
  private final boolean halfLength;
  /** exp(-2πik/nFft) for the half-length untangling, k = 0..nFft/2. */
  private final double[] untangleCos;
  private final double[] untangleSin;
  private final float[][] filterbank;
  /** The filterbank as sparse columns: for mel m, weights of bins firstBin[m] .. firstBin[m] + weights[m].length - 1. */
  private final int[] firstBin;
  private final double[][] weights;

  public MelSpectrogram(MelSettings settings) {
    this.s = settings;
    nFft = s.nFft();
    if (nFft < 2) throw new IllegalArgumentException("nFft must be at least 2: " + nFft);
    if (s.winLength() < 1 || s.winLength() > nFft) {
      throw new IllegalArgumentException("winLength must be in [1, nFft]: " + s.winLength());
    }
    if (s.hopLength() < 1) throw new IllegalArgumentException("hopLength must be positive: " + s.hopLength());
    if (s.nMels() < 1) throw new IllegalArgumentException("nMels must be positive: " + s.nMels());
    if (s.sampleRate() < 1) throw new IllegalArgumentException("sampleRate must be positive: " + s.sampleRate());
    if (!(s.fMin() >= 0 && s.fMax() > s.fMin())) {
      throw new IllegalArgumentException("need 0 <= fMin < fMax: " + s.fMin() + ", " + s.fMax());
    }
    bins = nFft / 2 + 1;
    pad = nFft / 2;

    // torch.hann_window(win_length, periodic=True), centred in n_fft by torch.stft.
    window = new double[nFft];
    int offset = (nFft - s.winLength()) / 2;
    for (int n = 0; n < s.winLength(); n++) {
      window[offset + n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / s.winLength());
    }

    halfLength = nFft % 2 == 0;
    fft = new ComplexFft(halfLength ? nFft / 2 : nFft);
    untangleCos = new double[bins];
    untangleSin = new double[bins];
    for (int k = 0; k < bins; k++) {
      double a = 2 * Math.PI * k / nFft;
      untangleCos[k] = Math.cos(a);
      untangleSin[k] = -Math.sin(a);
    }

    filterbank = melFilterbank(bins, s.sampleRate(), s.nMels(), s.fMin(), s.fMax());
    firstBin = new int[s.nMels()];
    weights = new double[s.nMels()][];
    for (int m = 0; m < s.nMels(); m++) {
      int first = -1;
      int last = -2;
      for (int k = 0; k < bins; k++) {
        if (filterbank[k][m] != 0) {
          if (first < 0) first = k;
          last = k;
        }
      }
      firstBin[m] = Math.max(first, 0);
      weights[m] = new double[last - first + 1];
      for (int k = first; k <= last; k++) weights[m][k - first] = filterbank[k][m];
    }
  }

  public MelSettings settings() {
    return s;
  }

  /** A copy of the filterbank, [nFreqs][nMels], as torchaudio.functional.melscale_fbanks(norm=None, mel_scale="htk"). */
  public float[][] filterbank() {
    float[][] copy = new float[filterbank.length][];
    for (int i = 0; i < copy.length; i++) copy[i] = filterbank[i].clone();
    return copy;
  }

  /** Number of frames torch gives for {@code samples} samples with centre padding: 1 + samples / hop. */
  public int frames(int samples) {
    return 1 + samples / s.hopLength();
  }

  /**
   * @param mono samples; more than nFft/2 of them (reflect padding needs it, as in torch)
   * @return the power mel spectrogram, [nMels][1 + mono.length / hopLength]
   * @throws IllegalArgumentException if {@code mono.length <= nFft / 2}
   */
  public float[][] compute(float[] mono) {
    if (mono.length <= pad) {
      throw new IllegalArgumentException("need more than " + pad + " samples for reflect padding, got " + mono.length);
    }
    int len = mono.length;
    // Reflect-padded signal, as torch.nn.functional.pad(mode="reflect").
    double[] x = new double[len + 2 * pad];
    for (int i = 0; i < len; i++) x[pad + i] = mono[i];
    for (int k = 1; k <= pad; k++) {
      x[pad - k] = mono[k];
      x[pad + len - 1 + k] = mono[len - 1 - k];
    }
    int frames = frames(len);
    float[][] out = new float[s.nMels()][frames];
    int n = fft.n;
    double[] re = new double[n];
    double[] im = new double[n];
    double[] outRe = new double[n];
    double[] outIm = new double[n];
    double[] scratch = new double[2 * fft.maxRadix];
    double[] power = new double[bins];
    for (int t = 0; t < frames; t++) {
      int start = t * s.hopLength();
      if (halfLength) {
        // z[j] = xw[2j] + i·xw[2j+1]; X[k] = E[k] + e^{-2πik/N}·O[k] with E, O the DFTs of the even and odd samples.
        for (int j = 0; j < n; j++) {
          re[j] = x[start + 2 * j] * window[2 * j];
          im[j] = x[start + 2 * j + 1] * window[2 * j + 1];
        }
        fft.transform(re, im, outRe, outIm, scratch);
        for (int k = 0; k < bins; k++) {
          int a = k == n ? 0 : k;
          int b = k == 0 ? 0 : n - k;
          // E = (Z[k] + conj Z[n-k]) / 2, O = (Z[k] - conj Z[n-k]) / (2i)
          double eRe = 0.5 * (outRe[a] + outRe[b]);
          double eIm = 0.5 * (outIm[a] - outIm[b]);
          double oRe = 0.5 * (outIm[a] + outIm[b]);
          double oIm = -0.5 * (outRe[a] - outRe[b]);
          double c = untangleCos[k];
          double sn = untangleSin[k];
          double xr = eRe + c * oRe - sn * oIm;
          double xi = eIm + c * oIm + sn * oRe;
          power[k] = xr * xr + xi * xi;
        }
      } else {
        for (int j = 0; j < n; j++) {
          re[j] = x[start + j] * window[j];
          im[j] = 0;
        }
        fft.transform(re, im, outRe, outIm, scratch);
        for (int k = 0; k < bins; k++) power[k] = outRe[k] * outRe[k] + outIm[k] * outIm[k];
      }
      for (int m = 0; m < out.length; m++) {
        double[] w = weights[m];
        int k0 = firstBin[m];
        double sum = 0;
        for (int k = 0; k < w.length; k++) sum += w[k] * power[k0 + k];
        out[m][t] = (float) sum;
      }
    }
    return out;
  }

  /**
   * Cuts [nMels][frames] into ceil(frames / chunkFrames) chunks of {@code chunkFrames} frames, the last one
   * zero-padded. Each chunk is flattened mel-major: index = mel · chunkFrames + frame.
   */
  public static List<float[]> chunks(float[][] mel, int chunkFrames) {
    if (chunkFrames < 1) throw new IllegalArgumentException("chunkFrames must be positive: " + chunkFrames);
    List<float[]> out = new ArrayList<>();
    if (mel.length == 0) return out;
    int nMels = mel.length;
    int frames = mel[0].length;
    for (float[] row : mel) {
      if (row.length != frames) throw new IllegalArgumentException("rows of different lengths: " + row.length + ", " + frames);
    }
    for (int start = 0; start < frames; start += chunkFrames) {
      float[] chunk = new float[nMels * chunkFrames];
      int len = Math.min(chunkFrames, frames - start);
      for (int m = 0; m < nMels; m++) System.arraycopy(mel[m], start, chunk, m * chunkFrames, len);
      out.add(chunk);
    }
    return out;
  }

  /**
   * torchaudio.functional.melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm=None, mel_scale="htk"):
   * [nFreqs][nMels]. Computed in float32 step by step as torch does with its default dtype (torch.linspace in
   * float, f_pts = 700·(10^(m/2595) - 1) in float, slopes and divisions in float), because the float32 rounding of
   * f_pts near 8 kHz moves the weights by up to ~1e-5, far more than float32 rounding of the weights themselves.
   * Only float32 pow may differ from torch's vectorised pow by an ulp.
   */
  static float[][] melFilterbank(int nFreqs, int sampleRate, int nMels, double fMin, double fMax) {
    float[] allFreqs = linspace(0f, (float) (sampleRate / 2), nFreqs); // torch: sample_rate // 2
    // _hz_to_mel is evaluated on Python floats (double), then linspace casts the ends to float.
    float[] mPts = linspace((float) hzToMel(fMin), (float) hzToMel(fMax), nMels + 2);
    float[] fPts = new float[nMels + 2];
    for (int i = 0; i < fPts.length; i++) {
      float e = mPts[i] / 2595.0f;
      fPts[i] = 700.0f * ((float) Math.pow(10.0, e) - 1.0f);
    }
    float[] fDiff = new float[nMels + 1];
    for (int i = 0; i < fDiff.length; i++) fDiff[i] = fPts[i + 1] - fPts[i];
    float[][] fb = new float[nFreqs][nMels];
    for (int i = 0; i < nFreqs; i++) {
      for (int m = 0; m < nMels; m++) {
        float down = (-1.0f * (fPts[m] - allFreqs[i])) / fDiff[m];
        float up = (fPts[m + 2] - allFreqs[i]) / fDiff[m + 1];
        fb[i][m] = Math.max(0f, Math.min(down, up));
      }
    }
    return fb;
  }

  /** torch.linspace in float: step = (end - start) / (n - 1); start + i·step in the first half, end - (n-1-i)·step after. */
  static float[] linspace(float start, float end, int n) {
    float[] v = new float[n];
    if (n == 1) {
      v[0] = start;
      return v;
    }
    float step = (end - start) / (n - 1);
    int half = n / 2;
    for (int i = 0; i < n; i++) v[i] = i < half ? start + step * i : end - step * (n - 1 - i);
    return v;
  }

  /** HTK mel scale: 2595 · log10(1 + hz / 700). */
  public static double hzToMel(double hz) {
    return 2595.0 * Math.log10(1.0 + hz / 700.0);
  }

  /** Inverse of {@link #hzToMel}: 700 · (10^(mel / 2595) - 1). */
  public static double melToHz(double mel) {
    return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
  }

  /**
   * Exact complex DFT {@code X[k] = Σ x[j]·e^{-2πijk/n}} of any length by recursive mixed-radix decimation in
   * time (kissfft's scheme): radix-4 and radix-2 butterflies for those factors, a generic O(p²) butterfly
   * for the odd primes. Immutable; callers pass their own buffers.
   */
  static final class ComplexFft {
    final int n;
    final int maxRadix;
    private final int[] radix;
    private final int[] rest;
    private final double[] twRe;
    private final double[] twIm;

    ComplexFft(int n) {
      if (n < 1) throw new IllegalArgumentException("length must be positive: " + n);
      this.n = n;
      List<Integer> factors = new ArrayList<>();
      int left = n;
      while (left % 4 == 0) {
        factors.add(4);
        left /= 4;
      }
      while (left % 2 == 0) {
        factors.add(2);
        left /= 2;
      }
      for (int p = 3; left > 1; p += 2) {
        if ((long) p * p > left) p = left;
        while (left % p == 0) {
          factors.add(p);
          left /= p;
        }
      }
      if (factors.isEmpty()) factors.add(1);
      radix = new int[factors.size()];
      rest = new int[factors.size()];
      int m = n;
      int max = 1;
      for (int i = 0; i < radix.length; i++) {
        radix[i] = factors.get(i);
        m /= radix[i];
        rest[i] = m;
        max = Math.max(max, radix[i]);
      }
      maxRadix = max;
      twRe = new double[n];
      twIm = new double[n];
      for (int i = 0; i < n; i++) {
        double a = 2 * Math.PI * i / n;
        twRe[i] = Math.cos(a);
        twIm[i] = -Math.sin(a);
      }
    }

    /** out = DFT(in); scratch has at least 2·maxRadix entries. in and out must be different arrays. */
    void transform(double[] inRe, double[] inIm, double[] outRe, double[] outIm, double[] scratch) {
      work(outRe, outIm, 0, inRe, inIm, 0, 1, 0, scratch);
    }

    private void work(double[] oRe, double[] oIm, int out, double[] iRe, double[] iIm, int in, int fstride, int stage,
                      double[] scratch) {
      int p = radix[stage];
      int m = rest[stage];
      if (m == 1) {
        for (int q = 0; q < p; q++) {
          oRe[out + q] = iRe[in + q * fstride];
          oIm[out + q] = iIm[in + q * fstride];
        }
      } else {
        for (int q = 0; q < p; q++) work(oRe, oIm, out + q * m, iRe, iIm, in + q * fstride, fstride * p, stage + 1, scratch);
      }
      switch (p) {
        case 1 -> { }
        case 2 -> bfly2(oRe, oIm, out, fstride, m);
        case 4 -> bfly4(oRe, oIm, out, fstride, m);
        default -> bflyGeneric(oRe, oIm, out, fstride, m, p, scratch);
      }
    }

    private void bfly2(double[] re, double[] im, int out, int fstride, int m) {
      for (int u = 0; u < m; u++) {
        int a = out + u;
        int b = a + m;
        int tw = u * fstride;
        double tr = re[b] * twRe[tw] - im[b] * twIm[tw];
        double ti = re[b] * twIm[tw] + im[b] * twRe[tw];
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }

    private void bfly4(double[] re, double[] im, int out, int fstride, int m) {
      for (int u = 0; u < m; u++) {
        int i0 = out + u;
        int i1 = i0 + m;
        int i2 = i1 + m;
        int i3 = i2 + m;
        int t1 = u * fstride;
        int t2 = 2 * t1;
        int t3 = 3 * t1;
        double r1 = re[i1] * twRe[t1] - im[i1] * twIm[t1];
        double j1 = re[i1] * twIm[t1] + im[i1] * twRe[t1];
        double r2 = re[i2] * twRe[t2] - im[i2] * twIm[t2];
        double j2 = re[i2] * twIm[t2] + im[i2] * twRe[t2];
        double r3 = re[i3] * twRe[t3] - im[i3] * twIm[t3];
        double j3 = re[i3] * twIm[t3] + im[i3] * twRe[t3];
        double sr = re[i0] + r2;
        double sj = im[i0] + j2;
        double dr = re[i0] - r2;
        double dj = im[i0] - j2;
        double ar = r1 + r3;
        double aj = j1 + j3;
        double br = r1 - r3;
        double bj = j1 - j3;
        re[i0] = sr + ar;
        im[i0] = sj + aj;
        re[i2] = sr - ar;
        im[i2] = sj - aj;
        // forward transform: X1 = d - i·b, X3 = d + i·b
        re[i1] = dr + bj;
        im[i1] = dj - br;
        re[i3] = dr - bj;
        im[i3] = dj + br;
      }
    }

    private void bflyGeneric(double[] re, double[] im, int out, int fstride, int m, int p, double[] scratch) {
      for (int u = 0; u < m; u++) {
        for (int q = 0, k = out + u; q < p; q++, k += m) {
          scratch[2 * q] = re[k];
          scratch[2 * q + 1] = im[k];
        }
        for (int q1 = 0, k = u; q1 < p; q1++, k += m) {
          double sr = scratch[0];
          double si = scratch[1];
          // k < p·m and fstride·p·m = n at every stage, so the twiddle step needs no "mod n".
          int step = fstride * k;
          int tw = 0;
          for (int q = 1; q < p; q++) {
            tw += step;
            if (tw >= n) tw -= n;
            double xr = scratch[2 * q];
            double xi = scratch[2 * q + 1];
            sr += xr * twRe[tw] - xi * twIm[tw];
            si += xr * twIm[tw] + xi * twRe[tw];
          }
          re[out + k] = sr;
          im[out + k] = si;
        }
      }
    }
  }
}
