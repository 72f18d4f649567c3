package ai.mesm.train;

import java.util.Locale;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.stats.EventStats;

/**
 * Where the time of parameter-averaging rounds went, from DL4J's training statistics: the wall
 * time of a round (driver's view: broadcast, executors, aggregation), of which the workers spent
 * {@code computeMs} on average fitting; the rest is communication and coordination (parameter
 * broadcast and deserialisation, batch preparation, result collection, averaging).
 */
public record RoundTimes(int rounds, int workers, double roundMs, double computeMs) {

  public double communicationMs() {
    return Math.max(0, roundMs - computeMs);
  }

  public static RoundTimes of(SparkTrainingStats stats, int workers) {
    double round = 0;
    int rounds = 0;
    double fit = 0;
    for (SparkTrainingStats s = stats; s != null; s = s.getNestedTrainingStats()) {
      for (String key : s.getKeySet()) {
        String k = key.toLowerCase(Locale.ROOT);
        for (EventStats e : s.getValue(key)) {
          if (k.contains("mappartitions")) {
            round += e.getDurationMs();
            rounds++;
          } else if (k.contains("workerfittimes")) {
            fit += e.getDurationMs();
          }
        }
      }
      if (s.getNestedTrainingStats() == s) break;
    }
    if (rounds == 0) return new RoundTimes(0, workers, 0, 0);
    return new RoundTimes(rounds, workers, round / rounds, fit / workers / rounds);
  }

  public String summary() {
    return String.format(Locale.ROOT, "  averaging rounds: %d x %.0f ms (compute %.0f ms per worker, communication "
        + "and coordination %.0f ms, %.0f %%)", rounds, roundMs, computeMs, communicationMs(),
        roundMs == 0 ? 0 : 100 * communicationMs() / roundMs);
  }
}
