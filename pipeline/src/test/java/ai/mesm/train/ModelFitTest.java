package ai.mesm.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.data.DatasetKind;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.eval.ModelEvaluation;
import ai.mesm.eval.Thresholds;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.RandomInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The training seam on examples held in memory: no split folder, no model folder, no reports. */
class ModelFitTest {
  @Test
  void fitTrainsKeepsTheBestEpochAndTunesThresholdsOnValidation() throws Exception {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false);
    Random r = new Random(2);
    List<Example> train = new ArrayList<>();
    List<Example> valid = new ArrayList<>();
    List<Example> test = new ArrayList<>();
    for (int i = 0; i < 8; i++) train.add(RandomInputs.example(spec, "t" + i, 1 + i % 3, 1 + i % 2, r));
    for (int i = 0; i < 4; i++) valid.add(RandomInputs.example(spec, "v" + i, 1 + i % 3, 1 + i % 2, r));
    for (int i = 0; i < 4; i++) test.add(RandomInputs.example(spec, "s" + i, 1 + i % 3, 1 + i % 2, r));
    double[] grid = Thresholds.grid(0.1, 0.9, 0.1);
    TrainingSettings settings = new TrainingSettings(4, 3, 3, 8, 0, 7, grid);
    VisualNormalisation faces = VisualNormalisation.defaults();
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), faces.mean(), faces.std());
    List<String> log = new ArrayList<>();

    ModelFit.Fitted fitted = new ModelFit(settings, log::add).fit(model, DatasetKind.IEMOCAP,
        new LocalTrainer(settings, ExampleSource.of(train), train.size(), log::add), ExampleSource.of(valid),
        ExampleSource.of(test), "local", null, null);

    assertSame(model, fitted.model());
    assertEquals(3, fitted.outcome().history().size(), "three epochs, no early stop at patience 3");
    int best = fitted.outcome().bestEpoch();
    double bestF1 = fitted.outcome().best().validF1();
    for (EpochResult e : fitted.outcome().history()) assertTrue(e.validF1() <= bestF1, "epoch " + e.epoch() + " vs best " + best);
    assertEquals(DatasetKind.IEMOCAP.classes().size(), fitted.thresholds().length);
    for (double t : fitted.thresholds()) assertTrue(Arrays.stream(grid).anyMatch(g -> Math.abs(g - t) < 1e-12), t + " in the grid");
    // The evaluation is that of the returned model on these sources (thresholds from valid, then test).
    ModelEvaluation again = ModelEvaluation.of(model, DatasetKind.IEMOCAP, ExampleSource.of(valid), ExampleSource.of(test),
        grid, settings.batchSize());
    assertArrayEquals(again.thresholds(), fitted.thresholds());
    assertEquals(again.test().average().f1(), fitted.evaluation().test().average().f1(), 1e-12);
    assertEquals(test.size(), fitted.evaluation().testPredictions().ids().size());
  }
}
