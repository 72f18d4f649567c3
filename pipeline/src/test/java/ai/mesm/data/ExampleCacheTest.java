package ai.mesm.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Later passes come from memory while the budget allows, in the first pass's order; otherwise from the source. */
class ExampleCacheTest {
  /** A source that counts how often it is read; each example is a new object on every pass, as Parquet's are. */
  private static final class CountingSource implements ExampleSource {
    final int size;
    final String prefix;
    int opens;

    CountingSource(String prefix, int size) {
      this.prefix = prefix;
      this.size = size;
    }

    @Override
    public ExampleStream open() {
      opens++;
      List<Example> fresh = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        fresh.add(new Example(prefix + i, "text " + i, 1, new byte[1000], 1, new float[250], List.of(i % 2)));
      }
      return ExampleStream.of(fresh);
    }
  }

  private static final long ONE = ExampleCache.bytes(new Example("a0", "text 0", 1, new byte[1000], 1, new float[250],
      List.of(0)));

  private static List<String> pass(ExampleSource s) throws IOException {
    List<String> ids = new ArrayList<>();
    try (ExampleStream st = s.open()) {
      while (st.hasNext()) ids.add(st.next().utteranceId());
    }
    return ids;
  }

  @Test
  void laterPassesComeFromMemoryInTheSameOrder() throws IOException {
    CountingSource source = new CountingSource("a", 5);
    ExampleSource cached = new ExampleCache(5 * ONE + 100).cache(source);
    List<String> first = pass(cached);
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4"), first);
    assertEquals(first, pass(cached));
    assertEquals(first, pass(cached));
    assertEquals(1, source.opens, "read once");
  }

  @Test
  void aSplitLargerThanTheBudgetIsStreamedEveryPass() throws IOException {
    CountingSource source = new CountingSource("a", 5);
    ExampleSource cached = new ExampleCache(4 * ONE).cache(source);
    for (int i = 1; i <= 3; i++) {
      assertEquals(5, pass(cached).size());
      assertEquals(i, source.opens);
    }
  }

  @Test
  void theBudgetIsSharedAndWhatAGivenUpSplitHeldIsFreedAgain() throws IOException {
    ExampleCache cache = new ExampleCache(6 * ONE);
    CountingSource big = new CountingSource("b", 8);
    CountingSource small = new CountingSource("s", 4);
    CountingSource other = new CountingSource("o", 4);
    ExampleSource bigCached = cache.cache(big);
    ExampleSource smallCached = cache.cache(small);
    ExampleSource otherCached = cache.cache(other);
    pass(bigCached); // held 6 examples' worth, then gave up and freed them
    pass(smallCached); // fits: 4 of 6
    pass(otherCached); // 4 more do not fit in the 2 left
    for (int i = 0; i < 2; i++) {
      pass(bigCached);
      pass(smallCached);
      pass(otherCached);
    }
    assertEquals(3, big.opens);
    assertEquals(1, small.opens);
    assertEquals(3, other.opens);
  }

  @Test
  void aPassLeftBeforeItsEndCachesNothing() throws IOException {
    CountingSource source = new CountingSource("a", 5);
    ExampleCache cache = new ExampleCache(5 * ONE);
    ExampleSource cached = cache.cache(source);
    try (ExampleStream st = cached.open()) {
      st.next();
      st.next();
    }
    assertEquals(5, pass(cached).size(), "the budget held by the broken pass was freed");
    assertEquals(5, pass(cached).size());
    assertEquals(2, source.opens);
  }

  @Test
  void aZeroBudgetAlwaysStreams() throws IOException {
    CountingSource source = new CountingSource("a", 3);
    ExampleSource cached = ExampleCache.ofHeap(0).cache(source);
    pass(cached);
    pass(cached);
    assertEquals(2, source.opens);
  }
}
