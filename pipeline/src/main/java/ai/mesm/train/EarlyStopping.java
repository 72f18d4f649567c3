package ai.mesm.train;

/**
 * The reference's stopping rule (docs/computation.md#training): stop when the validation score has not improved for
 * {@code patience} epochs in a row, or after {@code maxEpochs}; the best epoch is the first one
 * with the highest score. Plain state, so that a checkpoint can carry it.
 */
public final class EarlyStopping {
  private final int patience;
  private final int maxEpochs;
  private int epochs;
  private int bestEpoch;
  private double bestScore = Double.NEGATIVE_INFINITY;

  public EarlyStopping(int patience, int maxEpochs) {
    if (patience < 1 || maxEpochs < 1) throw new IllegalArgumentException("patience and max epochs must be >= 1");
    this.patience = patience;
    this.maxEpochs = maxEpochs;
  }

  /** The state after {@code epochs} recorded epochs, as a checkpoint holds it. */
  public static EarlyStopping restore(int patience, int maxEpochs, int epochs, int bestEpoch, double bestScore) {
    if (bestEpoch > epochs || bestEpoch < 0) throw new IllegalArgumentException("best epoch " + bestEpoch + " of " + epochs);
    EarlyStopping s = new EarlyStopping(patience, maxEpochs);
    s.epochs = epochs;
    s.bestEpoch = bestEpoch;
    s.bestScore = bestScore;
    return s;
  }

  /** Records the score of the next epoch (1-based); true when it is a new best. */
  public boolean record(double score) {
    epochs++;
    if (score > bestScore) { // strictly: the first maximum stays the best, as on threshold ties
      bestScore = score;
      bestEpoch = epochs;
      return true;
    }
    return false;
  }

  public boolean shouldStop() {
    return epochs >= maxEpochs || epochs - bestEpoch >= patience;
  }

  /** True when training ends before max epochs because the score stalled. */
  public boolean stoppedEarly() {
    return epochs < maxEpochs && shouldStop();
  }

  public int epochs() {
    return epochs;
  }

  public int bestEpoch() {
    return bestEpoch;
  }

  public double bestScore() {
    return bestScore;
  }

  public int maxEpochs() {
    return maxEpochs;
  }
}
