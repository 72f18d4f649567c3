package ai.mesm.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps splits in memory after their first complete pass, within one byte budget shared by every
 * split it holds, so that later epochs skip reading and decoding Parquet (about a tenth of a
 * shrunk training's time). A split that outgrows what is left of the budget is dropped and
 * streamed every pass, as without a cache. Later passes return the examples in the order of the
 * first, so training and evaluation see exactly what streaming would give them.
 */
public final class ExampleCache {
  private long free;

  public ExampleCache(long budgetBytes) {
    if (budgetBytes < 0) throw new IllegalArgumentException("budget must be >= 0, was " + budgetBytes);
    this.free = budgetBytes;
  }

  /** A budget of {@code fraction} of this JVM's maximum heap. */
  public static ExampleCache ofHeap(double fraction) {
    return new ExampleCache((long) (Runtime.getRuntime().maxMemory() * fraction));
  }

  /** {@code source} read through this cache (not thread-safe: one reader at a time). */
  public ExampleSource cache(ExampleSource source) {
    return new Cached(source);
  }

  /** What one example takes on the heap, roughly: its arrays and its text. */
  static long bytes(Example e) {
    return 64L + e.frames().length + 4L * e.mel().length + 2L * e.text().length() + 16L * e.labels().size();
  }

  private synchronized boolean reserve(long bytes) {
    if (bytes > free) return false;
    free -= bytes;
    return true;
  }

  private synchronized void release(long bytes) {
    free += bytes;
  }

  private final class Cached implements ExampleSource {
    private final ExampleSource source;
    private List<Example> complete;
    private boolean tooLarge;

    Cached(ExampleSource source) {
      this.source = source;
    }

    @Override
    public ExampleStream open() throws IOException {
      if (complete != null) return ExampleStream.of(complete);
      ExampleStream stream = source.open();
      return tooLarge ? stream : new Recording(stream);
    }

    /** The first pass: hands each example on and keeps it, until the budget runs out. */
    private final class Recording implements ExampleStream {
      private final ExampleStream stream;
      private List<Example> kept = new ArrayList<>();
      private long reserved;

      Recording(ExampleStream stream) {
        this.stream = stream;
      }

      @Override
      public boolean hasNext() {
        boolean more = stream.hasNext();
        if (!more && kept != null) {
          complete = List.copyOf(kept);
          kept = null;
        }
        return more;
      }

      @Override
      public Example next() {
        Example e = stream.next();
        if (kept != null) {
          long b = bytes(e);
          if (reserve(b)) {
            reserved += b;
            kept.add(e);
          } else {
            giveUp();
          }
        }
        return e;
      }

      private void giveUp() {
        kept = null;
        tooLarge = true;
        release(reserved);
        reserved = 0;
      }

      @Override
      public void close() throws IOException {
        // A pass left before its end (an error) caches nothing: the next pass reads the split again.
        if (kept != null) {
          kept = null;
          release(reserved);
        }
        stream.close();
      }
    }
  }
}
