package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.bench.ModelThroughput;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's updater on its standard path changes nothing of what training computes, bit for bit. */
class FlatGradientUpdaterTest {
  @Test
  void trainingStepsEqualDl4jsOwnUpdaterBitForBitAndTakeTheStandardPath() {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), true);
    EmotionModel ours = model(spec);
    EmotionModel dl4js = model(spec);
    assertEquals(ours.graph().params(), dl4js.graph().params());
    Batch batch = ModelThroughput.randomBatch(spec, 4, 3, 4, 7);
    int steps = 4;
    for (int i = 0; i < steps; i++) {
      ours.fit(batch);
      // DL4J's own updater: the graph's fit without EmotionModel's.
      dl4js.graph().fit(dl4js.dataSet(batch));
    }
    FlatGradientUpdater updater = assertInstanceOf(FlatGradientUpdater.class, ours.graph().getUpdater());
    assertEquals(steps, updater.standardSteps, "every step on DL4J's standard path");
    assertFalse(dl4js.graph().getUpdater() instanceof FlatGradientUpdater);
    assertBitForBit(dl4js.graph().params(), ours.graph().params());
    assertBitForBit(dl4js.graph().getUpdater().getStateViewArray(), ours.graph().getUpdater().getStateViewArray());
  }

  private static EmotionModel model(ModelSpec spec) {
    return EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), new float[] {120, 110, 100},
        new float[] {60, 60, 60});
  }

  private static void assertBitForBit(INDArray expected, INDArray actual) {
    float[] e = expected.dup().data().asFloat();
    float[] a = actual.dup().data().asFloat();
    assertEquals(e.length, a.length);
    for (int i = 0; i < e.length; i++) {
      assertEquals(Float.floatToIntBits(e[i]), Float.floatToIntBits(a[i]), "element " + i + ": " + e[i] + " vs " + a[i]);
    }
  }
}
