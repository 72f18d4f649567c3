package ai.mesm.eval;

/** One class's test metrics at its validation-tuned threshold (or the unweighted mean over classes). */
public record ClassMetrics(String label, double threshold, double accuracy, double weightedAccuracy, double f1,
                           double precision, double recall, double auc, long positives, long total) {}
