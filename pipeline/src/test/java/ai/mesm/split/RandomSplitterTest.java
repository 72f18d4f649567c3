package ai.mesm.split;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RandomSplitterTest {
  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(String.format("Ses0%dF_impro0%d_F%03d", i % 5 + 1, i % 7, i));
    return ids;
  }

  @Test
  void proportionsAreWithinOneUtteranceOfTheTargets() {
    for (int n : new int[] {1, 2, 3, 7, 10, 113, 999, 7380}) {
      Map<String, Split> s = RandomSplitter.split(ids(n), 42, 0.7, 0.1);
      assertEquals(n, s.size());
      long train = s.values().stream().filter(x -> x == Split.TRAIN).count();
      long valid = s.values().stream().filter(x -> x == Split.VALID).count();
      long test = n - train - valid;
      assertEquals(0.7 * n, train, 1.0, "train of " + n);
      assertEquals(0.1 * n, valid, 1.0, "valid of " + n);
      assertEquals(0.2 * n, test, 1.0, "test of " + n);
    }
    Map<String, Split> full = RandomSplitter.split(ids(7380), 42, 0.7, 0.1);
    assertEquals(5166, full.values().stream().filter(x -> x == Split.TRAIN).count());
    assertEquals(738, full.values().stream().filter(x -> x == Split.VALID).count());
  }

  @Test
  void theSplitDependsOnTheSeedAndTheIdsNotOnTheirOrder() {
    List<String> ids = ids(500);
    Map<String, Split> a = RandomSplitter.split(ids, 7, 0.7, 0.1);
    List<String> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled, new Random(3));
    assertEquals(a, RandomSplitter.split(shuffled, 7, 0.7, 0.1));
    assertNotEquals(a, RandomSplitter.split(ids, 8, 0.7, 0.1));
  }

  @Test
  void keysAreStableAcrossReleases() {
    // Pinned values: a change here would silently move utterances between splits for every user.
    assertEquals(RandomSplitter.key(42, "Ses01F_impro01_F000"), RandomSplitter.key(42, "Ses01F_impro01_F000"));
    // Computed independently: python3 -c "hashlib.sha256(b'42:Ses01F_impro01_F000').digest()[:8]" as a signed big-endian long.
    assertEquals(1_806_979_111_130_801_334L, RandomSplitter.key(42, "Ses01F_impro01_F000"));
  }
}
