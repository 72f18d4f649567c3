package ai.mesm.testing;

import ai.mesm.config.MesmConfig;
import ai.mesm.stage.TrainRunner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;

/**
 * The trainings a test class shares, each run once and two at a time. A test JVM gives ND4J one
 * OpenMP thread (docs/testing.md), so a training keeps one core busy and the second core trains
 * the next model meanwhile. A class starts what it needs in {@code @BeforeAll} (or on first use)
 * and each test waits for its own models, so any test still runs alone or in any order; the class
 * closes this in {@code @AfterAll}, before its temporary folder goes.
 */
public final class SharedTrainings implements AutoCloseable {
  private final Map<String, Future<TrainRunner.Result>> started = new ConcurrentHashMap<>();
  private final ExecutorService trainers;

  public SharedTrainings(String name) {
    trainers = Executors.newFixedThreadPool(2, job -> {
      Thread t = new Thread(job, name + "-trainer");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the training called {@code name} unless it was started already. */
  public void start(String name, Supplier<MesmConfig> config) {
    started.computeIfAbsent(name, n -> trainers.submit(() ->
        TrainRunner.run(config.get(), new Configuration(), System.out::println)));
  }

  /** The training's result, started here if no one started it; its failure as this caller's. */
  public TrainRunner.Result get(String name, Supplier<MesmConfig> config) throws Exception {
    start(name, config);
    try {
      return started.get(name).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw (Error) e.getCause();
    }
  }

  /** Drops the trainings not begun and waits for the running ones, which write into the class's folders. */
  @Override
  public void close() throws InterruptedException {
    started.values().forEach(training -> training.cancel(false));
    trainers.shutdown();
    if (!trainers.awaitTermination(15, TimeUnit.MINUTES)) throw new IllegalStateException("trainings still running");
  }
}
