package ai.mesm.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingPartsTest {
  private static List<Integer> drain(ShuffleBuffer<Integer> s) {
    List<Integer> out = new ArrayList<>();
    s.forEachRemaining(out::add);
    return out;
  }

  @Test
  void shuffleBufferIsAPermutationReproducibleFromTheSeed() {
    List<Integer> items = IntStream.range(0, 100).boxed().toList();
    for (int capacity : new int[] {1, 7, 100, 1000}) {
      List<Integer> a = drain(new ShuffleBuffer<>(items.iterator(), capacity, 3));
      assertEquals(new HashSet<>(items), new HashSet<>(a), "capacity " + capacity);
      assertEquals(100, a.size());
      assertEquals(a, drain(new ShuffleBuffer<>(items.iterator(), capacity, 3)));
      if (capacity == 1) assertEquals(items, a, "a buffer of one keeps the order");
      else assertNotEquals(items, a);
    }
    assertNotEquals(drain(new ShuffleBuffer<>(items.iterator(), 100, 3)), drain(new ShuffleBuffer<>(items.iterator(), 100, 4)));
    assertTrue(drain(new ShuffleBuffer<>(List.<Integer>of().iterator(), 5, 1)).isEmpty());
  }

  @Test
  void smallBufferOnlyMovesItemsLocally() {
    List<Integer> items = IntStream.range(0, 1000).boxed().toList();
    List<Integer> a = drain(new ShuffleBuffer<>(items.iterator(), 10, 1));
    for (int i = 0; i < a.size(); i++) assertTrue(a.get(i) <= i + 9, "item " + a.get(i) + " at " + i);
  }

  @Test
  void earlyStoppingStopsAfterPatienceEpochsWithoutImprovementAndKeepsTheFirstBest() {
    EarlyStopping s = new EarlyStopping(2, 40);
    assertTrue(s.record(0.5));
    assertFalse(s.record(0.5), "a tie is not an improvement");
    assertFalse(s.shouldStop());
    assertTrue(s.record(0.6));
    assertFalse(s.record(0.55));
    assertFalse(s.shouldStop());
    assertFalse(s.record(0.6));
    assertTrue(s.shouldStop());
    assertTrue(s.stoppedEarly());
    assertEquals(3, s.bestEpoch());
    assertEquals(5, s.epochs());

    EarlyStopping max = new EarlyStopping(6, 3);
    max.record(0.1);
    max.record(0.2);
    max.record(0.3);
    assertTrue(max.shouldStop());
    assertFalse(max.stoppedEarly());
    assertEquals(3, max.bestEpoch());
  }

  @Test
  void clockReadsAsMinutesOrHours() {
    assertEquals("0:07", TrainingLoop.clock(7.4));
    assertEquals("2:05", TrainingLoop.clock(125));
    assertEquals("1:00:01", TrainingLoop.clock(3601));
  }
}
