package ai.mesm.train;

import ai.mesm.data.DatasetKind;
import ai.mesm.data.ExampleSource;
import ai.mesm.eval.ModelEvaluation;
import ai.mesm.model.EmotionModel;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Training as one call, the way an estimator's fit is: a model, the train data (through an
 * {@link EpochTrainer}, in this JVM or over Spark executors), validation and test in; the trained
 * model, its history and the thresholds tuned on validation out. It knows no file layout: the
 * training stage reads the split and writes the model folder and the reports around it.
 */
public final class ModelFit {
  private final TrainingSettings settings;
  private final Consumer<String> log;

  public ModelFit(TrainingSettings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
  }

  /** The model holds its best epoch's parameters; evaluation has the validation thresholds and test scored with them. */
  public record Fitted(EmotionModel model, TrainingLoop.Outcome outcome, ModelEvaluation evaluation) {
    public double[] thresholds() {
      return evaluation.thresholds();
    }
  }

  /**
   * @param mode "local" or "spark", recorded with each epoch
   * @param checkpoints where each epoch's state is kept, null for none
   * @param resumed the state a resumed run continues from, null for a fresh one
   */
  public Fitted fit(EmotionModel model, DatasetKind dataset, EpochTrainer train, ExampleSource valid, ExampleSource test,
                    String mode, Checkpoints checkpoints, TrainingState resumed) throws IOException {
    TrainingLoop.Outcome outcome = new TrainingLoop(settings, log).train(model, dataset, train, valid, mode, checkpoints,
        resumed);
    ModelEvaluation evaluation = ModelEvaluation.of(model, dataset, valid, test, settings.thresholdGrid(),
        settings.batchSize());
    return new Fitted(model, outcome, evaluation);
  }
}
