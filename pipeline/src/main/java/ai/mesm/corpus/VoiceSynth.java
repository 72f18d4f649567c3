package ai.mesm.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small source-filter speech synthesiser: a harmonic glottal source whose pitch, tempo, energy
 * and brightness follow a {@link VoiceStyle}, shaped by vowel formants syllable by syllable. It
 * makes prosody, not words: the point is that the emotion is audible in a mel spectrogram.
 */
final class VoiceSynth {
  /** Formants (F1, F2, F3 in Hz) of five vowels of an adult male voice. */
  private static final double[][] VOWELS = {
      {730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480}, {570, 840, 2410}};
  private static final double MAX_HARMONIC_HZ = 7600;

  /** Samples in [-1, 1] and the syllable envelope (0..1) per sample, which drives the lips. */
  record Speech(float[] samples, float[] envelope) {}

  private record Syllable(double start, double voiced, double[] formants, double pitchOffset, int direction) {}

  private VoiceSynth() {}

  /**
   * @param formantScale 1 for a male voice, ~1.15 for a female one (shorter vocal tract)
   */
  static Speech speak(VoiceStyle v, double basePitchHz, double formantScale, double seconds, int sampleRate,
                      SplittableRandom rng) {
    int n = (int) Math.round(seconds * sampleRate);
    float[] out = new float[n];
    float[] env = new float[n];
    List<Syllable> syllables = plan(v, seconds, formantScale, rng);
    double phase = 0;
    double jitter = 0;
    int si = 0;
    double[] gains = new double[(int) (MAX_HARMONIC_HZ / 40) + 2];
    int gainsFor = -1;
    for (int i = 0; i < n; i++) {
      double t = (double) i / sampleRate;
      while (si + 1 < syllables.size() && t >= syllables.get(si + 1).start) si++;
      Syllable s = syllables.get(si);
      double local = (t - s.start) / s.voiced;
      if (local < 0 || local >= 1) {
        continue; // silence between syllables: phase keeps running so the next onset is smooth
      }
      double e = Math.pow(Math.sin(Math.PI * local), 0.6);
      jitter = 0.995 * jitter + 0.005 * (rng.nextDouble() * 2 - 1);
      double f0 = basePitchHz * v.pitchFactor()
          * (1 + v.pitchSlope() * (t / seconds - 0.5))
          * (1 + s.pitchOffset + s.direction * v.pitchSwing() * Math.sin(Math.PI * local))
          * (1 + v.tremorDepth() * Math.sin(2 * Math.PI * v.tremorHz() * t))
          * (1 + 0.02 * jitter);
      phase += 2 * Math.PI * f0 / sampleRate;
      if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
      if (gainsFor != si) {
        fillHarmonicGains(gains, basePitchHz * v.pitchFactor(), s.formants, v.brightness());
        gainsFor = si;
      }
      double voiced = harmonics(phase, f0, gains);
      double noise = rng.nextDouble() * 2 - 1;
      double sample = v.gain() * e * ((1 - v.breathiness()) * voiced + v.breathiness() * 0.6 * noise);
      out[i] = (float) Math.max(-1, Math.min(1, sample));
      env[i] = (float) e;
    }
    return new Speech(out, env);
  }

  private static List<Syllable> plan(VoiceStyle v, double seconds, double formantScale, SplittableRandom rng) {
    List<Syllable> syllables = new ArrayList<>();
    double t = 0.02 + rng.nextDouble() * 0.05;
    while (t < seconds) {
      double period = (1.0 / v.syllableRate()) * (0.75 + 0.5 * rng.nextDouble());
      double voiced = Math.min(period * (0.6 + 0.25 * rng.nextDouble()), seconds - t);
      double[] base = VOWELS[rng.nextInt(VOWELS.length)];
      double[] formants = {base[0] * formantScale, base[1] * formantScale, base[2] * formantScale};
      syllables.add(new Syllable(t, Math.max(voiced, 1e-3), formants, (rng.nextDouble() - 0.5) * 0.08,
          rng.nextBoolean() ? 1 : -1));
      t += period;
    }
    if (syllables.isEmpty()) syllables.add(new Syllable(0, seconds, VOWELS[0], 0, 1));
    return syllables;
  }

  /** Gain of harmonic k (index k-1) for a syllable: spectral tilt times the vowel's formant peaks. */
  private static void fillHarmonicGains(double[] gains, double f0, double[] formants, double brightness) {
    double total = 0;
    for (int k = 1; k <= gains.length; k++) {
      double f = k * f0;
      if (f > MAX_HARMONIC_HZ) {
        gains[k - 1] = 0;
        continue;
      }
      double tilt = Math.pow(k, -2.0 / brightness);
      double formant = 0.08;
      for (int j = 0; j < formants.length; j++) {
        double bw = 80 + 40 * j;
        double d = (f - formants[j]) / bw;
        formant += (1.0 / (j + 1)) * Math.exp(-d * d);
      }
      gains[k - 1] = tilt * formant;
      total += gains[k - 1];
    }
    for (int k = 0; k < gains.length; k++) gains[k] /= Math.max(total, 1e-9) / 1.6;
  }

  /** Sum of sin(k·phase) with the Chebyshev recurrence: one sin/cos per sample, not one per harmonic. */
  private static double harmonics(double phase, double f0, double[] gains) {
    double c2 = 2 * Math.cos(phase);
    double prev = 0;
    double cur = Math.sin(phase);
    double sum = 0;
    int kMax = (int) Math.min(gains.length, MAX_HARMONIC_HZ / Math.max(f0, 1));
    for (int k = 1; k <= kMax; k++) {
      sum += gains[k - 1] * cur;
      double next = c2 * cur - prev;
      prev = cur;
      cur = next;
    }
    return sum;
  }
}
