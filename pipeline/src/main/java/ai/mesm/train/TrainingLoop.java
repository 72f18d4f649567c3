package ai.mesm.train;

import ai.mesm.data.DatasetKind;
import ai.mesm.data.ExampleSource;
import ai.mesm.eval.Evaluation;
import ai.mesm.eval.Predictions;
import ai.mesm.eval.Thresholds;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.loss.WeightedBceWithLogits;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The epochs of a run (docs/computation.md#training), wherever each epoch is fitted: after every epoch, validation
 * with per-class thresholds tuned on it; early stopping on the validation average F1; a
 * checkpoint when due; at the end the parameters of the best epoch are restored. Starts fresh or
 * from a checkpoint's {@link TrainingState}, so a resumed run ends after the same epochs as an
 * uninterrupted one.
 */
public final class TrainingLoop {
  private final TrainingSettings settings;
  private final Consumer<String> log;

  public TrainingLoop(TrainingSettings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
  }

  /** What training did: one row per epoch, the epoch whose parameters the model now holds, the sessions that ran. */
  public record Outcome(List<EpochResult> history, int bestEpoch, boolean stoppedEarly,
                        List<TrainingState.Session> sessions) {
    public EpochResult best() {
      return history.get(bestEpoch - 1);
    }
  }

  /**
   * @param mode        "local" or "spark", recorded in the session
   * @param checkpoints null for none
   * @param resumed     null for a fresh run
   */
  public Outcome train(EmotionModel model, DatasetKind dataset, EpochTrainer trainer, ExampleSource valid, String mode,
                       Checkpoints checkpoints, TrainingState resumed) throws IOException {
    EarlyStopping stopping = resumed == null ? new EarlyStopping(settings.patience(), settings.maxEpochs())
        : resumed.stopping(settings.patience(), settings.maxEpochs());
    List<EpochResult> history = new ArrayList<>(resumed == null ? List.of() : resumed.history());
    List<TrainingState.Session> sessions = new ArrayList<>(resumed == null ? List.of() : resumed.sessions());
    INDArray best = resumed == null ? null : resumed.best();
    String started = Instant.now().toString();
    int firstEpoch = stopping.epochs() + 1;
    long t = System.nanoTime();
    double[] weights = model.spec().positiveWeights();
    while (!stopping.shouldStop()) {
      int epoch = stopping.epochs() + 1;
      long t0 = System.nanoTime();
      double trainLoss = trainer.trainEpoch(model, epoch);
      Predictions p = Predictions.of(model, valid, settings.batchSize());
      double[] thresholds = Thresholds.tune(p.probabilities(), p.labels(), settings.thresholdGrid());
      Evaluation e = Evaluation.of(dataset, p.probabilities(), p.labels(), thresholds);
      double validLoss = WeightedBceWithLogits.ofProbabilities(p.probabilities(), p.labels(), weights);
      EpochResult r = new EpochResult(epoch, trainLoss, validLoss, e.average().f1(), e.headline(e.average()),
          (System.nanoTime() - t0) / 1e9);
      history.add(r);
      if (stopping.record(r.validF1())) best = model.snapshot();
      log.accept(progress(r, e.headlineName(), stopping, firstEpoch, (System.nanoTime() - t) / 1e9));
      if (checkpoints != null && checkpoints.due(epoch)) {
        List<TrainingState.Session> sofar = new ArrayList<>(sessions);
        sofar.add(new TrainingState.Session(started, firstEpoch, epoch, mode));
        String where = checkpoints.save(model, new TrainingState(stopping.epochs(), stopping.bestEpoch(),
            stopping.bestScore(), history, sofar, best));
        log.accept("  checkpoint -> " + where);
      }
    }
    if (stopping.epochs() >= firstEpoch) sessions.add(new TrainingState.Session(started, firstEpoch, stopping.epochs(), mode));
    if (best == null) throw new IllegalStateException("no epoch was trained (max epochs " + settings.maxEpochs() + ")");
    model.restore(best);
    return new Outcome(history, stopping.bestEpoch(), stopping.stoppedEarly(), sessions);
  }

  private static String progress(EpochResult r, String headline, EarlyStopping s, int firstEpoch, double elapsed) {
    int remaining = s.shouldStop() ? 0 : s.maxEpochs() - s.epochs();
    double eta = elapsed / (s.epochs() - firstEpoch + 1) * remaining;
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
