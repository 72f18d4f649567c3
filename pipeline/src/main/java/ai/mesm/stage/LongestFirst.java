package ai.mesm.stage;

import ai.mesm.ingest.WorkUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

/**
 * Work units run longest first, their results read back in the release's order.
 *
 * <p>Spark starts a stage's tasks in partition order. With one dialog or video per task and a few
 * of them per core, a long one that happens to come last keeps one core busy while the others
 * idle (eight IEMOCAP dialogs on two cores: 0.39 s of a 4.6 s pass). So the units are handed to
 * Spark by decreasing size of their media files (the longest-processing-time rule; size stands in
 * for duration), and what they produced is then read through {@link #inReleaseOrder}, whose
 * partition i is the release's i-th unit again: every output (rows, files, rejects) comes out in
 * the order it had when the units ran in release order.
 */
final class LongestFirst {
  private LongestFirst() {}

  /**
   * The order to run the units in: {@code order[k]} is the index, in {@code units}, of the k-th to
   * run. Larger media first (video and audio files together); ties, and files of unknown size,
   * keep the release's order.
   */
  static int[] order(List<WorkUnit> units, Map<String, Long> sizes) {
    long[] bytes = new long[units.size()];
    for (int i = 0; i < bytes.length; i++) {
      WorkUnit u = units.get(i);
      bytes[i] = size(sizes, u.video()) + (u.audio() == null || u.audio().equals(u.video()) ? 0 : size(sizes, u.audio()));
    }
    return java.util.stream.IntStream.range(0, bytes.length).boxed()
        .sorted(Comparator.<Integer>comparingLong(i -> -bytes[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
  }

  private static long size(Map<String, Long> sizes, String path) {
    return path == null ? 0 : sizes.getOrDefault(path, 0L);
  }

  /** The units in the order to run them. */
  static List<WorkUnit> scheduled(List<WorkUnit> units, int[] order) {
    return Arrays.stream(order).mapToObj(units::get).toList();
  }

  /**
   * An RDD whose partition i is the partition of {@code ran} that processed the release's i-th
   * unit ({@code ran} holding one partition per unit, in {@code order}). Narrow: it reads
   * {@code ran}'s partitions (cached, normally) where they are, starting no new work. A release
   * without units is {@code ran} itself (Spark gave it one empty partition).
   */
  static <T> JavaRDD<T> inReleaseOrder(JavaRDD<T> ran, int[] order) {
    if (order.length == 0) return ran;
    RDD<T> rdd = ran.rdd();
    return rdd.coalesce(order.length, false, Option.apply(new ReleaseOrder(order)), null).toJavaRDD();
  }

  /**
   * Groups of one parent partition each, in the release's order; each keeps its parent's preferred
   * location. Spark requires Scala's marker interface here, not just Java's.
   */
  private static final class ReleaseOrder implements PartitionCoalescer, scala.Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] order;

    ReleaseOrder(int[] order) {
      this.order = order.clone();
    }

    @Override
    public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
      Partition[] parts = parent.partitions();
      if (parts.length != order.length) {
        throw new IllegalStateException(parts.length + " partitions for " + order.length + " work units");
      }
      PartitionGroup[] groups = new PartitionGroup[order.length];
      for (int k = 0; k < order.length; k++) {
        Partition p = parts[k];
        PartitionGroup group = new PartitionGroup(parent.preferredLocations(p).headOption());
        group.partitions().$plus$eq(p);
        groups[order[k]] = group;
      }
      return groups;
    }
  }
}
