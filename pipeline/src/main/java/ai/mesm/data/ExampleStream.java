package ai.mesm.data;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/** Examples read one at a time from somewhere that may hold open files. */
public interface ExampleStream extends Iterator<Example>, AutoCloseable {
  @Override
  void close() throws IOException;

  static ExampleStream of(List<Example> examples) {
    Iterator<Example> it = examples.iterator();
    return new ExampleStream() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Example next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }
}
