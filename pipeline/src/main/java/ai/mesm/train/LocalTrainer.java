package ai.mesm.train;

import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.data.ExampleStream;
import ai.mesm.model.Batch;
import ai.mesm.model.Batches;
import ai.mesm.model.EmotionModel;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Epochs in this JVM (docs/computation.md#training): one shuffled pass over the train split in batches, each batch one
 * optimiser step. Reads the split as a stream (kept in memory only where an {@link ai.mesm.data.ExampleCache} allows).
 */
public final class LocalTrainer implements EpochTrainer {
  private final TrainingSettings settings;
  private final ExampleSource train;
  private final long trainSize;
  private final Consumer<String> log;

  public LocalTrainer(TrainingSettings settings, ExampleSource train, long trainSize, Consumer<String> log) {
    this.settings = settings;
    this.train = train;
    this.trainSize = trainSize;
    this.log = log;
  }

  @Override
  public double trainEpoch(EmotionModel model, int epoch) throws IOException {
    double sum = 0;
    long seen = 0;
    long lastLog = System.nanoTime();
    try (ExampleStream examples = train.open()) {
      // A new order every epoch, reproducible from the seed.
      ShuffleBuffer<Example> shuffled = new ShuffleBuffer<>(examples, settings.shuffleBuffer(),
          settings.seed() * 1_000_003L + epoch);
      Batches batches = new Batches(shuffled, model.batchBuilder(), settings.batchSize());
      while (batches.hasNext()) {
        Batch batch = batches.next();
        double loss = model.fit(batch);
        requireFinite(loss, epoch, batch.ids().toString());
        sum += loss * batch.size();
        seen += batch.size();
        if (System.nanoTime() - lastLog > 30e9) { // long epochs: a sign of life every 30 s
          log.accept(String.format(Locale.ROOT, "  epoch %d: %d/%d utterances, loss %.4f", epoch, seen, trainSize,
              sum / seen));
          lastLog = System.nanoTime();
        }
      }
    }
    if (seen == 0) throw new IOException("the train split is empty");
    return sum / seen;
  }

  static void requireFinite(double loss, int epoch, String where) {
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException("epoch " + epoch + ": loss became " + loss + " on " + where
          + " (lower train.learning-rate?)");
    }
  }
}
