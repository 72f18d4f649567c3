package ai.mesm.model;

import ai.mesm.data.Example;
import ai.mesm.model.Batch;
import ai.mesm.model.BatchBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Groups a stream of examples into padded batches of {@code size} (the last one may be smaller). */
public final class Batches implements Iterator<Batch> {
  private final Iterator<Example> examples;
  private final BatchBuilder builder;
  private final int size;

  public Batches(Iterator<Example> examples, BatchBuilder builder, int size) {
    if (size < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    this.examples = examples;
    this.builder = builder;
    this.size = size;
  }

  @Override
  public boolean hasNext() {
    return examples.hasNext();
  }

  @Override
  public Batch next() {
    if (!examples.hasNext()) throw new NoSuchElementException();
    List<Example> items = new ArrayList<>(size);
    while (items.size() < size && examples.hasNext()) items.add(examples.next());
    return builder.build(items);
  }
}
