package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.data.Example;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which test utterances AttentionMapJob draws when maps.utterances is empty. */
class AttentionMapChoiceTest {
  private static Example utterance(String id, Integer... labels) {
    return new Example(id, "", 0, new byte[0], 0, new float[0], List.of(labels));
  }

  private static List<String> ids(List<Example> chosen) {
    return chosen.stream().map(Example::utteranceId).toList();
  }

  @Test
  void eachPickAddsAClassUntilEveryClassIsShownThenTheFirstOthersFill() {
    List<Example> test = List.of(
        utterance("a1", 1, 0, 0), utterance("a2", 1, 0, 0), utterance("ab", 1, 1, 0),
        utterance("b1", 0, 1, 0), utterance("c1", 0, 0, 1), utterance("c2", 0, 0, 1));
    assertEquals(List.of("a1", "ab", "c1"), ids(AttentionMapRunner.coveringClasses(test.iterator(), 3)));
    assertEquals(List.of("a1", "ab", "c1", "a2", "b1"), ids(AttentionMapRunner.coveringClasses(test.iterator(), 5)));
    assertEquals(List.of("a1", "ab"), ids(AttentionMapRunner.coveringClasses(test.iterator(), 2)));
  }

  @Test
  void aClassMissingFromTestLeavesTheRestInOrder() {
    List<Example> test = List.of(utterance("a1", 1, 0, 0), utterance("a2", 1, 0, 0), utterance("b1", 0, 1, 0),
        utterance("none", 0, 0, 0));
    assertEquals(List.of("a1", "b1", "a2", "none"), ids(AttentionMapRunner.coveringClasses(test.iterator(), 6)));
    assertEquals(List.of(), ids(AttentionMapRunner.coveringClasses(List.<Example>of().iterator(), 6)));
  }

  @Test
  void scanningStopsOnceEveryClassIsShownAndTheCountIsFull() {
    List<Example> test = new java.util.ArrayList<>(List.of(utterance("a1", 1, 0), utterance("b1", 0, 1)));
    java.util.Iterator<Example> it = new java.util.Iterator<>() {
      int next;

      public boolean hasNext() {
        return true;
      }

      public Example next() {
        if (next >= test.size()) throw new AssertionError("read past what was needed");
        return test.get(next++);
      }
    };
    assertEquals(List.of("a1", "b1"), ids(AttentionMapRunner.coveringClasses(it, 2)));
  }
}
