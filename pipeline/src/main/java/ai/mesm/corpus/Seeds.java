package ai.mesm.corpus;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random streams derived from the corpus seed and an item name, so that each dialog or video is
 * generated identically whatever the thread that renders it and whatever else is generated.
 */
final class Seeds {
  private Seeds() {}

  static SplittableRandom stream(long seed, String name) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001B3L;
      h ^= h >>> 29;
    }
    return new SplittableRandom(h);
  }

  /** The affect a modality shows: the true one, or with probability {@code noise} another one. */
  static Affect maybeConfuse(Affect truth, double noise, Affect[] pool, SplittableRandom rng) {
    if (rng.nextDouble() >= noise) return truth;
    Affect other;
    do {
      other = pool[rng.nextInt(pool.length)];
    } while (other == truth && pool.length > 1);
    return other;
  }

  /** An index drawn with probability proportional to its weight. */
  static int weighted(double[] weights, SplittableRandom rng) {
    double total = 0;
    for (double w : weights) total += w;
    double r = rng.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}
