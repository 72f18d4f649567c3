package ai.mesm.model.sparse;

/**
 * The rulebook of a submanifold 3×3 convolution over one set of sites: each site's 9 neighbours
 * ({@link SparseSites#neighbours()}), with what the convolutions derive from it computed once. A
 * block's two convolutions and their backward passes share one rulebook, so its pair count and
 * its pairs grouped by offset are not rebuilt per call (they were: four times per training step).
 */
public final class Rulebook {
  private final int[] neighbours;
  private final long pairs;
  private OffsetPairs byOffset; // built on first use: only the per-offset method reads it

  private Rulebook(int[] neighbours) {
    if (neighbours.length % SparseSites.KERNEL_OFFSETS != 0) {
      throw new IllegalArgumentException(neighbours.length + " neighbour slots is not 9 per site");
    }
    this.neighbours = neighbours;
    this.pairs = SparseSites.pairs(neighbours);
  }

  /** The rulebook of {@code neighbours} ([n·9], −1 where a neighbour is inactive); the array is kept, not copied. */
  public static Rulebook of(int[] neighbours) {
    return new Rulebook(neighbours);
  }

  /** Site i's neighbour at offset k as {@code [i * 9 + k]}, −1 where inactive. Not to be modified. */
  public int[] neighbours() {
    return neighbours;
  }

  public int sites() {
    return neighbours.length / SparseSites.KERNEL_OFFSETS;
  }

  /** (site, active neighbour) pairs, the centre included: a convolution's multiply-adds are this × Cin × Cout. */
  public long pairs() {
    return pairs;
  }

  /** The share of the 9 neighbour slots per site that hold an active site (0 without sites). */
  double pairFraction() {
    return neighbours.length == 0 ? 0 : pairs / (double) neighbours.length;
  }

  /** The pairs grouped by offset. A race between threads at most builds the same immutable value twice. */
  OffsetPairs byOffset() {
    OffsetPairs p = byOffset;
    if (p == null) {
      p = OffsetPairs.of(neighbours);
      byOffset = p;
    }
    return p;
  }
}
