package ai.mesm.train;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.stats.EventStats;

/**
 * Where the time of parameter-averaging rounds went, from DL4J's training statistics: a round's
 * wall time on the driver (one {@code fitMultiDataSet}: building the round's batches, broadcast,
 * the workers, aggregation), and of it the time a worker spent fitting (the mean over the
 * workers' rounds; workers run in parallel). The rest is communication and coordination:
 * parameter broadcast and rebuilding the network in each worker, batch preparation, task
 * scheduling, collecting and averaging the results.
 */
public record RoundTimes(int rounds, double roundMs, double computeMs, double batchesMs) {

  public double communicationMs() {
    return Math.max(0, roundMs - computeMs);
  }

  public static RoundTimes of(SparkTrainingStats stats) {
    // Worker statistics show up at more than one nesting level: each key is taken once.
    Map<String, double[]> byKey = new HashMap<>();
    for (SparkTrainingStats s = stats; s != null; s = s.getNestedTrainingStats() == s ? null : s.getNestedTrainingStats()) {
      for (String key : s.getKeySet()) {
        if (byKey.containsKey(key)) continue;
        double[] nt = new double[2];
        for (EventStats e : s.getValue(key)) {
          nt[0]++;
          nt[1] += e.getDurationMs();
        }
        byKey.put(key, nt);
      }
    }
    double[] fit = find(byKey, "masterfittimes");
    double[] count = find(byKey, "mastercountrddsize");
    double[] workerFit = find(byKey, "workerfittimes");
    double[] workerRounds = find(byKey, "workerinittime");
    if (fit[0] == 0) return new RoundTimes(0, 0, 0, 0);
    double compute = workerRounds[0] == 0 ? 0 : workerFit[1] / workerRounds[0];
    return new RoundTimes((int) fit[0], fit[1] / fit[0], compute, count[1] / fit[0]);
  }

  private static double[] find(Map<String, double[]> byKey, String part) {
    for (Map.Entry<String, double[]> e : byKey.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).contains(part)) return e.getValue();
    }
    return new double[2];
  }

  public String summary() {
    return String.format(Locale.ROOT, "  averaging rounds: %d x %.0f ms (compute %.0f ms per worker, communication "
        + "and coordination %.0f ms = %.0f %%, of which building the round's batches %.0f ms)", rounds, roundMs,
        computeMs, communicationMs(), roundMs == 0 ? 0 : 100 * communicationMs() / roundMs, batchesMs);
  }
}
