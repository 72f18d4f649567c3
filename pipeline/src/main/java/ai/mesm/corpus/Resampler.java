package ai.mesm.corpus;

/** Linear-interpolation resampling; enough for writing a synthetic voice into a 44.1 kHz AAC track. */
final class Resampler {
  private Resampler() {}

  static float[] linear(float[] in, int fromRate, int toRate) {
    int n = (int) Math.floor((long) in.length * toRate / (double) fromRate);
    float[] out = new float[n];
    double step = (double) fromRate / toRate;
    for (int i = 0; i < n; i++) {
      double x = i * step;
      int j = (int) x;
      double f = x - j;
      float a = in[Math.min(j, in.length - 1)];
      float b = in[Math.min(j + 1, in.length - 1)];
      out[i] = (float) (a + (b - a) * f);
    }
    return out;
  }
}
