package ai.mesm.media.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The mel spectrogram against computations written independently here (naive DFT; docs/computation.md#mel-spectrogram). */
class MelSpectrogramTest {
  private static final MelSpectrogram MEL = new MelSpectrogram(MelSettings.reference());

  private static float[] tone(double hz, double amplitude, int samples) {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / 16000));
    return x;
  }

  private static float[] noise(long seed, int samples) {
    Random r = new Random(seed);
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) x[i] = (float) (r.nextGaussian() * 0.3);
    return x;
  }

  /** Periodic Hann of winLength points centred in nFft, straight from the definition. */
  private static double hann(int n, int nFft, int winLength) {
    int j = n - (nFft - winLength) / 2;
    return j < 0 || j >= winLength ? 0 : 0.5 - 0.5 * Math.cos(2 * Math.PI * j / winLength);
  }

  /** |DFT|² of one frame under a periodic Hann window, straight from the definition: bins 0..nFft/2. */
  private static double[] naivePower(double[] frame, int winLength) {
    int nFft = frame.length;
    double[] p = new double[nFft / 2 + 1];
    for (int k = 0; k < p.length; k++) {
      double re = 0;
      double im = 0;
      for (int n = 0; n < nFft; n++) {
        double w = hann(n, nFft, winLength);
        double a = 2 * Math.PI * ((long) k * n % nFft) / nFft;
        re += frame[n] * w * Math.cos(a);
        im -= frame[n] * w * Math.sin(a);
      }
      p[k] = re * re + im * im;
    }
    return p;
  }

  private static double[] naivePower(double[] frame) {
    return naivePower(frame, frame.length);
  }

  /** Frame t of x, centred, reflect-padded by hand. */
  private static double[] frame(float[] x, int t, int nFft, int hop) {
    double[] f = new double[nFft];
    for (int n = 0; n < nFft; n++) {
      int i = t * hop - nFft / 2 + n;
      if (i < 0) i = -i; // x[-1] = x[1]
      if (i >= x.length) i = 2 * (x.length - 1) - i; // x[len] = x[len-2]
      f[n] = x[i];
    }
    return f;
  }

  private static double melOf(float[][] fb, double[] power, int m) {
    double sum = 0;
    for (int k = 0; k < power.length; k++) sum += fb[k][m] * power[k];
    return sum;
  }

  /** Hand-computed HTK edges for the reference settings: f_pts[i], i = 0..129. */
  private static double fPt(int i) {
    double top = 2595 * Math.log10(1 + 8000 / 700.0);
    return 700 * (Math.pow(10, top * i / 129 / 2595) - 1);
  }

  @Test
  void referenceSettings() {
    assertEquals(new MelSettings(16000, 400, 400, 200, 128, 0.0, 8000.0, 32), MelSettings.reference());
  }

  @Test
  void aPureToneLandsInItsMelBinWithTheRightPower() {
    double amplitude = 0.5;
    float[][] mel = MEL.compute(tone(1000, amplitude, 16000));
    assertEquals(81, mel[0].length);
    float[][] fb = MEL.filterbank();
    int nearest = 0;
    for (int m = 1; m < 128; m++) if (Math.abs(fPt(m + 1) - 1000) < Math.abs(fPt(nearest + 1) - 1000)) nearest = m;
    assertEquals(44, nearest); // centre 986.06 Hz
    for (int t = 2; t < 79; t++) { // interior frames: no padding involved
      int best = 0;
      for (int m = 1; m < 128; m++) if (mel[m][t] > mel[best][t]) best = m;
      assertEquals(nearest, best, "frame " + t);
      // 1000 Hz is DFT bin 25 exactly (25 whole periods per frame): under a periodic Hann window
      // |X[25]| = A·Σw/2 = 100·A and |X[24]| = |X[26]| = 50·A, every other bin is 0, whatever the phase.
      for (int m = 0; m < 128; m++) {
        double expected = Math.pow(100 * amplitude, 2) * fb[25][m]
            + Math.pow(50 * amplitude, 2) * (fb[24][m] + fb[26][m]);
        assertEquals(expected, mel[m][t], 1e-5 * Math.pow(100 * amplitude, 2), "frame " + t + ", mel bin " + m);
      }
    }
    // ... and the naive DFT of one interior frame agrees.
    int t = 20;
    double[] p = naivePower(frame(tone(1000, amplitude, 16000), t, 400, 200));
    assertEquals(Math.pow(amplitude * 100, 2), p[25], 1e-5 * p[25]);
    assertEquals(Math.pow(amplitude * 50, 2), p[24], 1e-5 * p[25]);
    for (int m = 0; m < 128; m++) {
      double expected = melOf(fb, p, m);
      assertEquals(expected, mel[m][t], 1e-5 * Math.max(1, expected), "mel bin " + m);
    }
  }

  @Test
  void everyFrameOfNoiseMatchesANaiveDft() {
    float[] x = noise(7, 3333); // 17 frames, the last ones reach into the end padding
    float[][] mel = MEL.compute(x);
    assertEquals(17, mel[0].length);
    float[][] fb = MEL.filterbank();
    for (int t = 0; t < 17; t++) {
      double[] p = naivePower(frame(x, t, 400, 200));
      for (int m = 0; m < 128; m++) {
        double expected = melOf(fb, p, m);
        assertEquals(expected, mel[m][t], 1e-5 * expected + 1e-9, "frame " + t + ", mel bin " + m);
      }
    }
  }

  @Test
  void otherSettingsAlsoMatchANaiveDft() {
    // odd n_fft (full complex FFT with a prime factor), and a window shorter than n_fft (centred, zeros outside)
    MelSettings[] all = {
        new MelSettings(22050, 401, 401, 160, 40, 20.0, 11025.0, 8),
        new MelSettings(16000, 512, 300, 128, 64, 50.0, 7600.0, 16),
        new MelSettings(8000, 98, 98, 49, 10, 0.0, 4000.0, 4),
    };
    for (MelSettings s : all) {
      MelSpectrogram mel = new MelSpectrogram(s);
      float[] x = noise(s.nFft(), 1500);
      float[][] out = mel.compute(x);
      assertEquals(s.nMels(), out.length);
      assertEquals(1 + 1500 / s.hopLength(), out[0].length);
      float[][] fb = mel.filterbank();
      assertEquals(s.nFft() / 2 + 1, fb.length);
      for (int t = 0; t < out[0].length; t++) {
        double[] p = naivePower(frame(x, t, s.nFft(), s.hopLength()), s.winLength());
        for (int m = 0; m < s.nMels(); m++) {
          double expected = melOf(fb, p, m);
          assertEquals(expected, out[m][t], 1e-5 * expected + 1e-9, s + " frame " + t + ", mel bin " + m);
        }
      }
    }
  }

  @Test
  void theFftIsAnExactDft() {
    Random r = new Random(3);
    for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 25, 30, 49, 64, 97, 100, 121, 200, 210, 400}) {
      MelSpectrogram.ComplexFft fft = new MelSpectrogram.ComplexFft(n);
      double[] re = new double[n];
      double[] im = new double[n];
      for (int i = 0; i < n; i++) {
        re[i] = r.nextGaussian();
        im[i] = r.nextGaussian();
      }
      double[] outRe = new double[n];
      double[] outIm = new double[n];
      fft.transform(re, im, outRe, outIm, new double[2 * fft.maxRadix]);
      for (int k = 0; k < n; k++) {
        double er = 0;
        double ei = 0;
        for (int j = 0; j < n; j++) {
          double a = -2 * Math.PI * ((long) j * k % n) / n;
          er += re[j] * Math.cos(a) - im[j] * Math.sin(a);
          ei += re[j] * Math.sin(a) + im[j] * Math.cos(a);
        }
        assertEquals(er, outRe[k], 1e-10 * n, "n=" + n + " k=" + k);
        assertEquals(ei, outIm[k], 1e-10 * n, "n=" + n + " k=" + k);
      }
    }
  }

  @Test
  void silenceGivesExactZeros() {
    float[][] mel = MEL.compute(new float[8000]);
    assertEquals(128, mel.length);
    assertEquals(41, mel[0].length);
    for (float[] row : mel) for (float v : row) assertEquals(0f, v);
  }

  @Test
  void framesAreCentredWithReflectPadding() {
    for (int n : new int[] {201, 399, 400, 401, 16000, 16199, 35_123, 160_000}) {
      assertEquals(1 + n / 200, MEL.compute(tone(440, 0.3, n))[0].length, "length " + n);
      assertEquals(1 + n / 200, MEL.frames(n));
    }
    float[] x = tone(523.25, 0.7, 3000);
    for (int i = 0; i < x.length; i++) x[i] += (float) (0.1 * Math.cos(i * 0.37));
    // first frame: x[-200..199] with x[-i] = x[i], written out by hand
    double[] first = new double[400];
    for (int n = 0; n < 400; n++) {
      int i = n - 200;
      first[n] = x[i < 0 ? -i : i];
    }
    assertEquals(x[200], first[0]);
    assertEquals(x[1], first[199]);
    assertEquals(x[0], first[200]);
    // last frame (t = 15): x[2800..3199] with x[2999 + i] = x[2999 - i]
    double[] last = new double[400];
    for (int n = 0; n < 400; n++) {
      int i = 2800 + n;
      last[n] = x[i <= 2999 ? i : 2 * 2999 - i];
    }
    double[] p0 = naivePower(first);
    double[] pLast = naivePower(last);
    float[][] fb = MEL.filterbank();
    float[][] mel = MEL.compute(x);
    assertEquals(16, mel[0].length);
    for (int m = 0; m < 128; m++) {
      double expected = melOf(fb, p0, m);
      assertEquals(expected, mel[m][0], 1e-5 * Math.max(1, expected), "first frame, mel bin " + m);
      expected = melOf(fb, pLast, m);
      assertEquals(expected, mel[m][15], 1e-5 * Math.max(1, expected), "last frame, mel bin " + m);
    }
    // edge-repeating ("replicate") or zero padding would change the first frame
    double[] replicate = first.clone();
    for (int n = 0; n < 200; n++) replicate[n] = x[0];
    double[] pr = naivePower(replicate);
    double diff = 0;
    for (int m = 0; m < 128; m++) diff = Math.max(diff, Math.abs(melOf(fb, pr, m) - mel[m][0]));
    assertTrue(diff > 1e-2, "padding mode not distinguishable: " + diff);
  }

  @Test
  void tooShortInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> MEL.compute(new float[0]));
    assertThrows(IllegalArgumentException.class, () -> MEL.compute(new float[200]));
    assertEquals(2, MEL.compute(new float[201])[0].length);
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new MelSpectrogram(new MelSettings(16000, 400, 401, 200, 128, 0, 8000, 32)));
    assertThrows(IllegalArgumentException.class,
        () -> new MelSpectrogram(new MelSettings(16000, 400, 400, 0, 128, 0, 8000, 32)));
    assertThrows(IllegalArgumentException.class,
        () -> new MelSpectrogram(new MelSettings(16000, 400, 400, 200, 128, 8000, 8000, 32)));
  }

  @Test
  void filterbankIsHtkTrianglesWithoutNormalisation() {
    float[][] fb = MEL.filterbank();
    assertEquals(201, fb.length);
    assertEquals(128, fb[0].length);
    for (float[] row : fb) for (float v : row) assertTrue(v >= 0 && v <= 1);
    // Hand-computed: mel(8000) = 2595·log10(1 + 8000/700) = 2840.0230; filter 64 spans f_pts[64..66].
    double top = 2595 * Math.log10(1 + 8000 / 700.0);
    assertEquals(2840.0230, top, 1e-4);
    assertEquals(top, MelSpectrogram.hzToMel(8000), 1e-9);
    assertEquals(1000, MelSpectrogram.melToHz(MelSpectrogram.hzToMel(1000)), 1e-9);
    assertEquals(999.9855, MelSpectrogram.hzToMel(1000), 1e-4); // HTK: 1000 Hz ≈ 1000 mel
    for (int m : new int[] {5, 44, 64, 127}) {
      for (int k = 0; k <= 200; k++) {
        double f = 40.0 * k;
        double expected = Math.max(0, Math.min((f - fPt(m)) / (fPt(m + 1) - fPt(m)),
            (fPt(m + 2) - f) / (fPt(m + 2) - fPt(m + 1))));
        assertEquals(expected, fb[k][m], 3e-5, "filter " + m + ", bin " + k); // torch rounds f_pts to float32
      }
    }
    // a few values by hand: filter 44 (953.44, 986.06, 1019.32 Hz) at 960 Hz and 1000 Hz; filter 127 ends at 8000
    assertEquals((960 - 953.4421) / (986.0594 - 953.4421), fb[24][44], 3e-5);
    assertEquals((1019.3202 - 1000) / (1019.3202 - 986.0594), fb[25][44], 3e-5);
    assertEquals(0, fb[26][44]);
    assertEquals(0, fb[200][127], 1e-6); // f_pts[129] = 8000: the right edge
    assertTrue(fb[199][127] > 0);
    // Each filter is zero outside the open interval (f_pts[m], f_pts[m+2]) and its maximum sits at the bin
    // nearest its centre on the steeper side; where the centre falls on a bin, the peak is exactly 1.
    for (int m = 0; m < 128; m++) {
      int argmax = 0;
      for (int k = 0; k <= 200; k++) {
        double f = 40.0 * k;
        if (f <= fPt(m) + 1e-6 || f >= fPt(m + 2) - 1e-6) assertEquals(0f, fb[k][m], 1e-6f, "filter " + m + ", bin " + k);
        if (fb[k][m] > fb[argmax][m]) argmax = k;
      }
      if (fb[argmax][m] > 0) {
        int below = (int) Math.floor(fPt(m + 1) / 40);
        assertTrue(argmax == below || argmax == below + 1, "filter " + m + " peaks at bin " + argmax);
      }
    }
    assertEquals(0f, fb[0][0]); // f_pts[0] = 0: the lowest filter starts at 0 Hz with weight 0
    // As in torchaudio (which warns about it), a filter narrower than the 40 Hz bin spacing can fall
    // between two DFT bins and stay all zero: exactly those with no bin strictly inside the triangle.
    int empty = 0;
    for (int m = 0; m < 128; m++) {
      boolean binInside = false;
      for (int k = 0; k <= 200; k++) binInside |= 40.0 * k > fPt(m) + 1e-9 && 40.0 * k < fPt(m + 2) - 1e-9;
      double peak = 0;
      for (float[] row : fb) peak = Math.max(peak, row[m]);
      assertEquals(binInside, peak > 0, "filter " + m);
      if (peak == 0) empty++;
    }
    assertTrue(empty > 0 && empty < 10, empty + " empty filters");
  }

  @Test
  void aFilterCentredOnABinPeaksAtExactlyOne() {
    // n_mels = 1: f_pts = [mel⁻¹(0), mel⁻¹(top/2), mel⁻¹(top)]; pick top = 2·mel(400) so the centre is 400 Hz = bin 10.
    double fMax = MelSpectrogram.melToHz(2 * MelSpectrogram.hzToMel(400));
    MelSpectrogram one = new MelSpectrogram(new MelSettings(16000, 400, 400, 200, 1, 0.0, fMax, 32));
    float[][] fb = one.filterbank();
    assertEquals(1f, fb[10][0], 1e-6f);
    assertEquals(0.7f, fb[7][0], 1e-6f); // 280 Hz on the rising edge from 0 to 400 Hz
    assertEquals(0f, fb[0][0]);
    for (float[] row : fb) assertTrue(row[0] <= fb[10][0]);
  }

  @Test
  void theFilterbankCopyIsDefensive() {
    float[][] fb = MEL.filterbank();
    fb[25][44] = 99;
    assertNotEquals(99f, MEL.filterbank()[25][44]);
  }

  @Test
  void chunksAreMelMajorAndTheLastOneIsZeroPadded() {
    float[][] mel = new float[3][5];
    for (int m = 0; m < 3; m++) for (int t = 0; t < 5; t++) mel[m][t] = 10 * m + t + 1;
    List<float[]> chunks = MelSpectrogram.chunks(mel, 2);
    assertEquals(3, chunks.size());
    assertArrayEquals(new float[] {1, 2, 11, 12, 21, 22}, chunks.get(0));
    assertArrayEquals(new float[] {3, 4, 13, 14, 23, 24}, chunks.get(1));
    assertArrayEquals(new float[] {5, 0, 15, 0, 25, 0}, chunks.get(2));
    // exact multiple: no padding chunk
    assertEquals(1, MelSpectrogram.chunks(new float[3][2], 2).size());
  }

  @Test
  void chunksOfARealSpectrogram() {
    float[][] mel = MEL.compute(noise(11, 160_000)); // 10 s -> 801 frames -> 26 chunks of 32 (the last has 1 frame)
    assertEquals(801, mel[0].length);
    List<float[]> chunks = MelSpectrogram.chunks(mel, 32);
    assertEquals(26, chunks.size());
    for (float[] c : chunks) assertEquals(128 * 32, c.length);
    for (int c = 0; c < 26; c++) {
      for (int m = 0; m < 128; m++) {
        for (int t = 0; t < 32; t++) {
          int frame = c * 32 + t;
          float expected = frame < 801 ? mel[m][frame] : 0f;
          assertEquals(expected, chunks.get(c)[m * 32 + t], "chunk " + c + ", mel " + m + ", t " + t);
        }
      }
    }
    assertTrue(chunks.get(25)[5 * 32] > 0); // the one real frame of the last chunk
  }
}
