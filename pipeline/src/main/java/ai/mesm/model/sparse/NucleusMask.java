package ai.mesm.model.sparse;

import java.util.Arrays;

/**
 * The top-p (nucleus) mask of docs/computation.md#mesm, per frame: sort the attention weights descending and keep
 * the smallest prefix whose mass reaches p; the weight that crosses p is kept and at least one
 * site always is. p = 1 keeps every site with non-zero weight (a rounding shortfall of the
 * cumulative sum must not drop the last sites). Ties keep site order (stable sort).
 */
public final class NucleusMask {
  /** Fewer sites than this and splitting the frames over threads cost more than it saved. */
  private static final int PARALLEL_SITES = 4096;

  private NucleusMask() {}

  /** Attention weights per site (softmax of the scores over each frame's sites). */
  public static double[] softmaxPerFrame(double[] scores, SparseSites sites) {
    double[] alpha = new double[scores.length];
    byFrames(sites, f -> {
      int from = sites.frameStart(f);
      int to = sites.frameStart(f + 1);
      double max = Double.NEGATIVE_INFINITY;
      for (int i = from; i < to; i++) max = Math.max(max, scores[i]);
      double sum = 0;
      for (int i = from; i < to; i++) sum += alpha[i] = Math.exp(scores[i] - max);
      for (int i = from; i < to; i++) alpha[i] /= sum;
    });
    return alpha;
  }

  /** Kept flags per site for mass p (0 &lt; p ≤ 1). */
  public static boolean[] keep(double[] alpha, SparseSites sites, double p) {
    if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + p);
    boolean[] kept = new boolean[alpha.length];
    byFrames(sites, f -> keepInFrame(alpha, sites.frameStart(f), sites.frameStart(f + 1), p, kept));
    return kept;
  }

  /** Frames are independent and write disjoint sites: split them over the cores when there are enough sites. */
  private static void byFrames(SparseSites sites, java.util.function.IntConsumer frame) {
    int framesPerPart = sites.size() >= PARALLEL_SITES ? 1 : Integer.MAX_VALUE;
    Rows.inParts(sites.frames(), framesPerPart, (first, last) -> {
      for (int f = first; f < last; f++) frame.accept(f);
    });
  }

  /** {@link #keep} for the sites [from, to) of one frame. */
  private static void keepInFrame(double[] alpha, int from, int to, double p, boolean[] kept) {
    if (from == to) return;
    if (p >= 1) {
      for (int i = from; i < to; i++) kept[i] = alpha[i] > 0;
      kept[argmax(alpha, from, to)] = true;
      return;
    }
    // The mass usually reaches p among the few sites above the mean weight 1/n: sorting only those
    // gives the same descending prefix, summed in the same order, as sorting the frame (the sort
    // was ~7 % of the sparse blocks' time on spectrograms' 1,024-site frames).
    double mean = 1.0 / (to - from);
    int above = 0;
    double aboveMass = 0;
    for (int i = from; i < to; i++) {
      if (alpha[i] > mean) {
        above++;
        aboveMass += alpha[i];
      }
    }
    double[] candidates;
    if (above > 0 && aboveMass >= p * (1 + 1e-9)) {
      candidates = new double[above];
      for (int i = from, j = 0; i < to; i++) if (alpha[i] > mean) candidates[j++] = alpha[i];
    } else {
      candidates = Arrays.copyOfRange(alpha, from, to);
    }
    keepFromCandidates(alpha, from, to, p, candidates, kept);
  }

  /**
   * Descending order without boxing: sort {@code sorted} in place (a copy of the frame's weights, or every weight
   * above some value whose mass exceeds p), find the weight t at which the mass summed from the top
   * reaches p, keep every site above t and, in site order, as many sites at exactly t as the prefix needs.
   */
  static void keepFromCandidates(double[] alpha, int from, int to, double p, double[] sorted, boolean[] kept) {
    Arrays.sort(sorted);
    double mass = 0;
    int j = sorted.length - 1;
    while (true) {
      mass += sorted[j];
      if (mass >= p || j == 0) break;
      j--;
    }
    double t = sorted[j];
    int atThreshold = 0;
    for (int k = j; k < sorted.length && sorted[k] == t; k++) atThreshold++;
    for (int i = from; i < to; i++) {
      if (alpha[i] > t) {
        kept[i] = true;
      } else if (alpha[i] == t && atThreshold > 0) {
        kept[i] = true;
        atThreshold--;
      }
    }
  }

  private static int argmax(double[] a, int from, int to) {
    int best = from;
    for (int i = from + 1; i < to; i++) if (a[i] > a[best]) best = i;
    return best;
  }
}
