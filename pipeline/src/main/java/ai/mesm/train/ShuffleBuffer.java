package ai.mesm.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Shuffles a stream that is too large to hold: keeps up to {@code capacity} items and hands out
 * a random one of them as each new item arrives (as tf.data's shuffle buffer does). With a
 * capacity at least the stream's length this is a uniform permutation; smaller capacities trade
 * memory for locality. Deterministic for a given seed.
 */
public final class ShuffleBuffer<T> implements Iterator<T> {
  private final Iterator<T> source;
  private final List<T> buffer;
  private final Random random;
  private final int capacity;

  public ShuffleBuffer(Iterator<T> source, int capacity, long seed) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    this.source = source;
    this.capacity = capacity;
    this.buffer = new ArrayList<>(Math.min(capacity, 1024));
    this.random = new Random(seed);
    fill();
  }

  private void fill() {
    while (buffer.size() < capacity && source.hasNext()) buffer.add(source.next());
  }

  @Override
  public boolean hasNext() {
    return !buffer.isEmpty();
  }

  @Override
  public T next() {
    if (buffer.isEmpty()) throw new NoSuchElementException();
    int i = random.nextInt(buffer.size());
    T out = buffer.get(i);
    if (source.hasNext()) {
      buffer.set(i, source.next());
    } else {
      buffer.set(i, buffer.get(buffer.size() - 1));
      buffer.remove(buffer.size() - 1);
    }
    return out;
  }
}
