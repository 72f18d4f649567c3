package ai.mesm.split;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables 1–2 and the class weights on a dataset small enough to compute by hand. */
class SplitStatisticsTest {
  @Test
  void tableAndWeightsMatchAHandComputation() {
    List<String> classes = List.of("a", "b", "c");
    List<SplitStatistics.Item> items = List.of(
        new SplitStatistics.Item(Split.TRAIN, List.of(1, 0, 0), "one two three", 2.0),
        new SplitStatistics.Item(Split.TRAIN, List.of(1, 1, 0), "one  two", 4.0),
        new SplitStatistics.Item(Split.TRAIN, List.of(0, 1, 0), " x ", 1.0),
        new SplitStatistics.Item(Split.TRAIN, List.of(0, 0, 0), "", 3.0),
        new SplitStatistics.Item(Split.VALID, List.of(0, 1, 0), "a b c d", 6.0),
        new SplitStatistics.Item(Split.TEST, List.of(1, 0, 0), "a b c d e", 1.0));
    SplitStatistics s = new SplitStatistics(classes, items);
    // a: words (3 + 2 + 5) / 3, duration (2 + 4 + 1) / 3, sizes 2/0/1
    assertEquals(new SplitStatistics.Row("a", 10 / 3.0, 7 / 3.0, 2, 0, 1), s.rows().get(0));
    // b: words (2 + 1 + 4) / 3, duration (4 + 1 + 6) / 3, sizes 2/1/0
    assertEquals(new SplitStatistics.Row("b", 7 / 3.0, 11 / 3.0, 2, 1, 0), s.rows().get(1));
    assertEquals(new SplitStatistics.Row("c", 0, 0, 0, 0, 0), s.rows().get(2));
    assertEquals(4, s.total(Split.TRAIN));
    // train has 4 utterances: a has 2 positives -> (4 - 2) / 2 = 1; b also 1; c has none -> 1 (kept finite)
    assertArrayEquals(new double[] {1.0, 1.0, 1.0}, s.positiveWeights(), 1e-12);
    assertTrue(s.markdown("T").contains("| a | 3.33 | 2.33 | 2 | 0 | 1 |"), s.markdown("T"));
    assertTrue(s.csv().startsWith("label,avg_word_count,avg_clip_duration_s,train,valid,test,train_pos_weight\n"
        + "a,3.3333,2.3333,2,0,1,1.000000\n"), s.csv());
  }

  @Test
  void weightsAreNegativesOverPositives() {
    List<SplitStatistics.Item> items = List.of(
        new SplitStatistics.Item(Split.TRAIN, List.of(1, 0), "w", 1),
        new SplitStatistics.Item(Split.TRAIN, List.of(0, 1), "w", 1),
        new SplitStatistics.Item(Split.TRAIN, List.of(0, 1), "w", 1),
        new SplitStatistics.Item(Split.TRAIN, List.of(0, 1), "w", 1),
        new SplitStatistics.Item(Split.TEST, List.of(1, 0), "w", 1));
    assertArrayEquals(new double[] {3.0, 1 / 3.0}, new SplitStatistics(List.of("x", "y"), items).positiveWeights(), 1e-12);
  }
}
