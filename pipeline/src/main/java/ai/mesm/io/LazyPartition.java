package ai.mesm.io;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.TaskContext;

/**
 * A Spark task's output made lazily from its input: each input expands into items only when the
 * task pulls them, so a partition never holds the results of all its inputs (mapPartitions would
 * otherwise keep them in a list). An expansion that is {@link AutoCloseable} (open media files) is
 * closed when it runs out, and the task's shared resources (a face detector) when the output ends;
 * both also when the task ends early (failure, cancellation, a limit on the output).
 */
public final class LazyPartition<S, T> implements Iterator<T> {
  private final Iterator<S> inputs;
  private final Function<S, ? extends Iterator<T>> expand;
  private final AutoCloseable shared;
  private Iterator<T> current;
  private boolean closed;

  private LazyPartition(Iterator<S> inputs, Function<S, ? extends Iterator<T>> expand, AutoCloseable shared) {
    this.inputs = inputs;
    this.expand = expand;
    this.shared = shared;
  }

  /** @param shared closed once, after the last item or when the task ends */
  public static <S, T> Iterator<T> of(Iterator<S> inputs, Function<S, ? extends Iterator<T>> expand,
                                      AutoCloseable shared) {
    LazyPartition<S, T> out = new LazyPartition<>(inputs, expand, shared);
    TaskContext task = TaskContext.get();
    if (task != null) task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> out.close());
    return out;
  }

  @Override
  public boolean hasNext() {
    while (!closed && (current == null || !current.hasNext())) {
      closeCurrent();
      if (!inputs.hasNext()) {
        close();
        return false;
      }
      current = expand.apply(inputs.next());
    }
    return !closed;
  }

  @Override
  public T next() {
    if (!hasNext()) throw new NoSuchElementException();
    return current.next();
  }

  private void closeCurrent() {
    Iterator<T> done = current;
    current = null;
    if (done instanceof AutoCloseable c) release(c);
  }

  private synchronized void close() {
    if (closed) return;
    closed = true;
    closeCurrent();
    release(shared);
  }

  private static void release(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot release " + c + ": " + e.getMessage(), e);
    }
  }
}
