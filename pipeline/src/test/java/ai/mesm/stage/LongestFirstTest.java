package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.data.DatasetKind;
import ai.mesm.ingest.WorkUnit;
import ai.mesm.testing.Slow;
import ai.mesm.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

class LongestFirstTest {
  private static WorkUnit unit(String id, String video, String audio) {
    return new WorkUnit(DatasetKind.IEMOCAP, id, video, audio, "t/" + id, "e/" + id, List.of());
  }

  @Test
  void unitsRunByDecreasingMediaSizeTiesAndUnknownSizesInReleaseOrder() {
    List<WorkUnit> units = List.of(unit("a", "v/a", "w/a"), unit("b", "v/b", "w/b"), unit("c", "v/c", null),
        unit("d", "v/d", "w/d"), unit("e", "v/e", "v/e"), unit("f", null, null));
    Map<String, Long> sizes = Map.of("v/a", 100L, "w/a", 10L, "v/b", 500L, "w/b", 20L, "v/c", 110L,
        "v/d", 90L, "w/d", 20L, "v/e", 60L);
    // a 110, b 520, c 110, d 110, e 60 (its audio is its video, counted once), f 0
    assertArrayEquals(new int[] {1, 0, 2, 3, 4, 5}, LongestFirst.order(units, sizes));
    assertEquals(List.of("b", "a", "c", "d", "e", "f"),
        LongestFirst.scheduled(units, LongestFirst.order(units, sizes)).stream().map(WorkUnit::sourceId).toList());
  }

  @Test
  @Slow
  void whatRanLongestFirstIsReadInReleaseOrderFromTheCacheWithoutRunningAgain() {
    SparkSession spark = TestSpark.start(Map.of());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<String> release = List.of("u0", "u1", "u2", "u3", "u4", "u5", "u6");
      int[] order = {3, 0, 6, 1, 5, 2, 4};
      List<String> scheduled = new ArrayList<>();
      for (int k : order) scheduled.add(release.get(k));
      LongAccumulator runs = spark.sparkContext().longAccumulator("runs");
      // Each unit yields several items, tagged with the partition that made them.
      JavaRDD<String> ran = jsc.parallelize(scheduled, scheduled.size()).flatMap(u -> {
        runs.add(1);
        int p = TaskContext.getPartitionId();
        return List.of(u + ".a@" + p, u + ".b@" + p).iterator();
      }).persist(StorageLevel.MEMORY_AND_DISK_SER());
      assertEquals(14, ran.count());
      assertEquals(7, runs.value());

      JavaRDD<String> inOrder = LongestFirst.inReleaseOrder(ran, order);
      assertEquals(release.size(), inOrder.getNumPartitions());
      List<List<String>> partitions = inOrder.glom().collect();
      for (int i = 0; i < release.size(); i++) {
        String u = release.get(i);
        int ranAt = scheduled.indexOf(u);
        assertEquals(List.of(u + ".a@" + ranAt, u + ".b@" + ranAt), partitions.get(i), "partition " + i);
      }
      // Coalesced into one, as the ingest's Parquet writes do: the release's order throughout.
      assertEquals(List.of("u0.a", "u0.b", "u1.a", "u1.b", "u2.a", "u2.b", "u3.a", "u3.b", "u4.a", "u4.b", "u5.a", "u5.b",
          "u6.a", "u6.b"), inOrder.coalesce(1).map(s -> s.substring(0, s.indexOf('@'))).collect());
      assertEquals(7, runs.value(), "read from the cache, not run again");
      ran.unpersist(false);
    } finally {
      spark.stop();
    }
  }
}
