package ai.mesm.train;

import ai.mesm.data.Batch;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.data.ExampleStream;
import ai.mesm.eval.Evaluation;
import ai.mesm.eval.Predictions;
import ai.mesm.eval.Thresholds;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.loss.WeightedBceWithLogits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a model on one machine (SPEC §5): each epoch one shuffled pass over the train split in
 * batches, then validation with per-class thresholds tuned on it; early stopping on the
 * validation average F1; the parameters of the best epoch are restored at the end. Reads the
 * splits as streams, so memory does not grow with the dataset.
 */
public final class LocalTrainer {
  private final TrainingSettings settings;
  private final Consumer<String> log;

  public LocalTrainer(TrainingSettings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
  }

  /** What training did: one row per epoch and the epoch whose parameters the model now holds. */
  public record Outcome(List<EpochResult> history, int bestEpoch, boolean stoppedEarly) {
    public EpochResult best() {
      return history.get(bestEpoch - 1);
    }
  }

  public Outcome train(EmotionModel model, DatasetKind dataset, ExampleSource train, ExampleSource valid,
                       long trainSize) throws IOException {
    EarlyStopping stopping = new EarlyStopping(settings.patience(), settings.maxEpochs());
    List<EpochResult> history = new ArrayList<>();
    INDArray best = null;
    long started = System.nanoTime();
    double[] weights = model.spec().positiveWeights();
    while (!stopping.shouldStop()) {
      int epoch = stopping.epochs() + 1;
      long t0 = System.nanoTime();
      double trainLoss = trainEpoch(model, train, epoch, trainSize);
      Predictions p = Predictions.of(model, valid, settings.batchSize());
      double[] thresholds = Thresholds.tune(p.probabilities(), p.labels(), settings.thresholdGrid());
      Evaluation e = Evaluation.of(dataset, p.probabilities(), p.labels(), thresholds);
      double validLoss = WeightedBceWithLogits.ofProbabilities(p.probabilities(), p.labels(), weights);
      EpochResult r = new EpochResult(epoch, trainLoss, validLoss, e.average().f1(), e.headline(e.average()),
          (System.nanoTime() - t0) / 1e9);
      history.add(r);
      if (stopping.record(r.validF1())) best = model.snapshot();
      log.accept(progress(r, e.headlineName(), stopping, (System.nanoTime() - started) / 1e9));
    }
    model.restore(best);
    return new Outcome(history, stopping.bestEpoch(), stopping.stoppedEarly());
  }

  private double trainEpoch(EmotionModel model, ExampleSource train, int epoch, long trainSize) throws IOException {
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
        if (!Double.isFinite(loss)) {
          throw new IllegalStateException("epoch " + epoch + ": loss became " + loss + " on " + batch.ids()
              + " (lower train.learning-rate?)");
        }
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

  private static String progress(EpochResult r, String headline, EarlyStopping s, double elapsed) {
    int remaining = s.shouldStop() ? 0 : s.maxEpochs() - s.epochs();
    double eta = elapsed / s.epochs() * remaining;
    return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  valid loss %.4f  valid F1 %.4f  %s %.4f%s  "
            + "(%.1f s; elapsed %s, ETA %s)", r.epoch(), s.maxEpochs(), r.trainLoss(), r.validLoss(), r.validF1(),
        headline, r.validHeadline(), s.bestEpoch() == r.epoch() ? "  *best*" : "  (best " + s.bestEpoch() + ")",
        r.seconds(), clock(elapsed), remaining == 0 ? "done" : "≤ " + clock(eta));
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
