package ai.mesm.eval;

import ai.mesm.data.DatasetKind;
import ai.mesm.data.ExampleSource;
import ai.mesm.model.EmotionModel;
import java.io.IOException;

/**
 * The paper's evaluation of one model (docs/computation.md#evaluation): per-class thresholds tuned on validation, test
 * scored with them. Training, EvaluateJob and the top-p sweep all go through here, so the same
 * model on the same split gives the same numbers wherever it is evaluated.
 */
public record ModelEvaluation(double[] thresholds, Evaluation test, Predictions testPredictions) {

  public static ModelEvaluation of(EmotionModel model, DatasetKind dataset, ExampleSource valid, ExampleSource test,
                                   double[] thresholdGrid, int batchSize) throws IOException {
    model = model.frozen(); // what scoring will predict with
    Predictions v = Predictions.of(model, valid, batchSize);
    double[] thresholds = Thresholds.tune(v.probabilities(), v.labels(), thresholdGrid);
    Predictions t = Predictions.of(model, test, batchSize);
    return new ModelEvaluation(thresholds, Evaluation.of(dataset, t.probabilities(), t.labels(), thresholds), t);
  }
}
