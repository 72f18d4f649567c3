package ai.mesm.train;

/**
 * One training epoch: mean training loss over its batches, the validation loss (same weighted BCE)
 * and the validation metrics at thresholds tuned on validation (what early stopping watches).
 *
 * @param validHeadline validation average Acc (IEMOCAP) or WAcc (CMU-MOSEI)
 */
public record EpochResult(int epoch, double trainLoss, double validLoss, double validF1, double validHeadline,
                          double seconds) {}
