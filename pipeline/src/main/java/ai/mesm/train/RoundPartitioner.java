package ai.mesm.train;

import org.apache.spark.Partitioner;

/**
 * Places the utterance at position i of an epoch's order into the partition of its averaging
 * round and worker: batch b = i / batch, round r = b / (workers · frequency), worker w =
 * (b mod (workers · frequency)) / frequency, partition r · workers + w. So round r is exactly
 * partitions [r · workers, (r + 1) · workers), each holding one worker's consecutive batches.
 */
final class RoundPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int batch;
  private final int workers;
  private final int frequency;
  private final int rounds;

  RoundPartitioner(long utterances, int batch, int workers, int frequency) {
    this.batch = batch;
    this.workers = workers;
    this.frequency = frequency;
    long batches = (utterances + batch - 1) / batch;
    long perRound = (long) workers * frequency;
    this.rounds = (int) Math.max(1, (batches + perRound - 1) / perRound);
  }

  int rounds() {
    return rounds;
  }

  long batchesPerRound() {
    return (long) workers * frequency;
  }

  int workers() {
    return workers;
  }

  @Override
  public int numPartitions() {
    return rounds * workers;
  }

  @Override
  public int getPartition(Object key) {
    long b = (Long) key / batch;
    long perRound = (long) workers * frequency;
    return (int) ((b / perRound) * workers + (b % perRound) / frequency);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoundPartitioner p && p.batch == batch && p.workers == workers && p.frequency == frequency
        && p.rounds == rounds;
  }

  @Override
  public int hashCode() {
    return ((batch * 31 + workers) * 31 + frequency) * 31 + rounds;
  }
}
