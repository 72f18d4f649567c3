package ai.mesm.media.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the mel spectrogram against computations written independently here (naive DFT, SPEC §2). */
class MelSpectrogramTest {
  private static final MelSpectrogram MEL = new MelSpectrogram(MelSettings.reference());

  private static float[] tone(double hz, double amplitude, int samples) {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / 16000));
    return x;
  }

  /** |DFT|² of one 400-sample frame under a periodic Hann window, straight from the definition. */
  private static double[] naivePower(double[] frame) {
    double[] p = new double[201];
    for (int k = 0; k <= 200; k++) {
      double re = 0;
      double im = 0;
      for (int n = 0; n < 400; n++) {
        double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / 400);
        re += frame[n] * w * Math.cos(2 * Math.PI * k * n / 400);
        im -= frame[n] * w * Math.sin(2 * Math.PI * k * n / 400);
      }
      p[k] = re * re + im * im;
    }
    return p;
  }

  private static double centreHz(int m) {
    double top = MelSpectrogram.hzToMel(8000);
    return MelSpectrogram.melToHz(top * (m + 1) / 129.0);
  }

  @Test
  void aPureToneLandsInItsMelBinWithTheRightPower() {
    double amplitude = 0.5;
    float[][] mel = MEL.compute(tone(1000, amplitude, 16000));
    int t = 20; // an interior frame: no padding involved
    int best = 0;
    for (int m = 1; m < 128; m++) if (mel[m][t] > mel[best][t]) best = m;
    int nearest = 0;
    for (int m = 1; m < 128; m++) if (Math.abs(centreHz(m) - 1000) < Math.abs(centreHz(nearest) - 1000)) nearest = m;
    assertTrue(Math.abs(best - nearest) <= 1, "peak in mel bin " + best + ", tone nearest to bin " + nearest);
    // 1000 Hz is DFT bin 25 exactly: |X|² = (A · Σw / 2)² = (A · 200 / 2)² for a periodic Hann window.
    double[] frame = new double[400];
    for (int n = 0; n < 400; n++) frame[n] = amplitude * Math.sin(2 * Math.PI * 1000 * (t * 200 - 200 + n) / 16000);
    double[] p = naivePower(frame);
    assertEquals(Math.pow(amplitude * 100, 2), p[25], 1e-6 * p[25]);
    float[][] fb = MEL.filterbank();
    for (int m = 0; m < 128; m++) {
      double expected = 0;
      for (int k = 0; k <= 200; k++) expected += fb[k][m] * p[k];
      assertEquals(expected, mel[m][t], 1e-4 * Math.max(1, expected), "mel bin " + m);
    }
  }

  @Test
  void silenceGivesExactZeros() {
    float[][] mel = MEL.compute(new float[8000]);
    for (float[] row : mel) for (float v : row) assertEquals(0f, v);
  }

  @Test
  void framesAreCentredWithReflectPadding() {
    for (int n : new int[] {201, 399, 400, 16000, 16199, 35_123}) assertEquals(1 + n / 200, MEL.compute(tone(440, 0.3, n))[0].length);
    float[] x = tone(523.25, 0.7, 3000);
    for (int i = 0; i < x.length; i++) x[i] += (float) (0.1 * Math.cos(i * 0.37));
    double[] first = new double[400];
    for (int n = 0; n < 400; n++) {
      int i = n - 200;
      first[n] = x[i < 0 ? -i : i]; // reflect: x[-1] = x[1]
    }
    double[] p = naivePower(first);
    float[][] fb = MEL.filterbank();
    float[][] mel = MEL.compute(x);
    for (int m = 0; m < 128; m += 7) {
      double expected = 0;
      for (int k = 0; k <= 200; k++) expected += fb[k][m] * p[k];
      assertEquals(expected, mel[m][0], 1e-4 * Math.max(1, expected), "first frame, mel bin " + m);
    }
  }

  @Test
  void filterbankIsHtkTrianglesWithoutNormalisation() {
    float[][] fb = MEL.filterbank();
    assertEquals(201, fb.length);
    assertEquals(128, fb[0].length);
    for (float[] row : fb) for (float v : row) assertTrue(v >= 0 && v <= 1);
    // Hand-computed: mel(8000) = 2595·log10(1 + 8000/700) = 2840.0230; filter 64 spans f_pts[64..66].
    double top = 2595 * Math.log10(1 + 8000 / 700.0);
    assertEquals(top, MelSpectrogram.hzToMel(8000), 1e-9);
    double left = 700 * (Math.pow(10, top * 64 / 129 / 2595) - 1);
    double centre = 700 * (Math.pow(10, top * 65 / 129 / 2595) - 1);
    double right = 700 * (Math.pow(10, top * 66 / 129 / 2595) - 1);
    for (int k = 0; k <= 200; k++) {
      double f = 40.0 * k;
      double expected = Math.max(0, Math.min((f - left) / (centre - left), (right - f) / (right - centre)));
      assertEquals(expected, fb[k][64], 1e-6, "bin " + k);
    }
    // As in torchaudio (which warns about it), a filter narrower than the 40 Hz bin spacing can fall
    // between two DFT bins and stay all zero: exactly those with no bin strictly inside the triangle.
    int empty = 0;
    for (int m = 0; m < 128; m++) {
      double lo = 700 * (Math.pow(10, top * m / 129 / 2595) - 1);
      double hi = 700 * (Math.pow(10, top * (m + 2) / 129 / 2595) - 1);
      boolean binInside = false;
      for (int k = 0; k <= 200; k++) binInside |= 40.0 * k > lo + 1e-9 && 40.0 * k < hi - 1e-9;
      double peak = 0;
      for (float[] row : fb) peak = Math.max(peak, row[m]);
      assertEquals(binInside, peak > 0, "filter " + m);
      if (peak == 0) empty++;
    }
    assertTrue(empty > 0 && empty < 10, empty + " empty filters");
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
  }

  @Test
  void tooShortInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> MEL.compute(new float[200]));
  }
}
