package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.mesm.data.Example;
import ai.mesm.model.layers.CnnKernels;
import ai.mesm.model.layers.FoldedCnnVertex;
import ai.mesm.testing.NativeCnnExpected;
import java.util.ArrayList;
import java.util.Random;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class InferenceGraphTest {
  private static final List<Modality> TAV = List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL);

  /**
   * After a few training steps, and with BatchNorm statistics far from their initial values, the
   * folded graph predicts what the training graph predicts in inference mode, on a padded batch
   * (utterances of different lengths, one without frames).
   */
  @ParameterizedTest(name = "{0}, CNN kernels {1}")
  @CsvSource({"fe2e, auto", "mesm, auto", "fe2e, java", "mesm, java"})
  void foldedGraphPredictsWhatTheTrainingGraphPredictsInInferenceMode(String type, String kernels) {
    CnnKernels.configure(kernels);
    try {
      assertFoldedPredictsAsTrained(type, kernels.equals("auto") && NativeCnnExpected.here());
    } finally {
      CnnKernels.configure("auto");
    }
  }

  private static void assertFoldedPredictsAsTrained(String type, boolean nativeCnn) {
    ModelSpec spec = RandomInputs.tinySpec(TAV, true).toBuilder().type(type).topP(0.6).build();
    ComputationGraph trained = new ComputationGraph(Fe2eGraph.build(spec, DataType.FLOAT, new Adam(1e-2)));
    trained.init();
    RandomInputs in = new RandomInputs(spec, new int[][] {{5, 2, 3}, {3, 1, 1}, {7, 3, 0}, {2, 2, 2}},
        new int[] {7, 3, 3}, 11, DataType.FLOAT);
    for (int i = 0; i < 4; i++) trained.fit(new MultiDataSet(in.features, new INDArray[] {in.labels}, in.masks, null));
    Nd4j.getRandom().setSeed(5);
    int batchNorms = 0;
    for (var v : trained.getVertices()) {
      if (!v.getVertexName().endsWith("_bn")) continue;
      batchNorms++;
      for (Map.Entry<String, INDArray> p : v.paramTable(false).entrySet()) {
        // Scales and shifts of either sign, running means away from 0 and spreads away from 1.
        INDArray noise = Nd4j.rand(p.getValue().dataType(), p.getValue().shape());
        p.getValue().addi(noise.subi(0.5).muli(p.getKey().equals("mean") ? 2.0 : 0.8));
      }
    }
    assertTrue(batchNorms >= (type.equals("fe2e") ? 16 : 8), "BatchNorm layers in the CNNs: " + batchNorms);

    ComputationGraph folded = InferenceGraph.fold(spec, trained);
    for (var v : folded.getVertices()) assertTrue(!v.getVertexName().endsWith("_bn") && !v.getVertexName().endsWith("_relu"), v.getVertexName());
    assertNull(folded.getVertex("visual_cnn0_bn"));
    // With AVX-512 (this machine) the native folded CNN: one vertex per CNN, else one layer per convolution.
    assertEquals(nativeCnn, folded.getVertex("visual_cnn") instanceof FoldedCnnVertex, "one native CNN vertex");
    assertEquals(!nativeCnn, folded.getVertex("visual_cnn0") != null, "DL4J's folded layers");
    assertEquals(nativeCnn, folded.getVertex("audio_cnn") instanceof FoldedCnnVertex);
    INDArray expected = trained.output(false, in.features, in.masks)[0];
    INDArray actual = folded.output(false, in.features, in.masks)[0];
    assertEquals(expected.length(), actual.length());
    double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
    double worst = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(worst <= 1e-4 * scale, type + ": folded logits differ by " + worst + "\n" + expected + "\n" + actual);
    assertTrue(expected.amaxNumber().doubleValue() > 0, "non-trivial logits");
  }

  /**
   * A frozen model predicts as the model did when it was frozen (also after the model trains on),
   * reports MESM's kept sites from its own pass, and refuses to train.
   */
  @Test
  void aFrozenModelPredictsAsItsSourceDidAndOnlyPredicts() {
    ModelSpec spec = RandomInputs.tinySpec(TAV, false).toBuilder().type("mesm").topP(0.5).build();
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), new float[] {120, 110, 100},
        new float[] {60, 60, 60});
    Random r = new Random(3);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 5; i++) examples.add(RandomInputs.example(spec, "u" + i, i % 3, 1 + i % 2, r));
    Batch batch = model.batchBuilder().build(examples);
    for (int i = 0; i < 3; i++) model.fit(batch);
    double[][] before = model.probabilities(batch);
    EmotionModel frozen = model.frozen();
    assertSame(frozen, frozen.frozen());
    assertTrue(frozen.isFrozen() && !model.isFrozen());
    model.fit(batch); // the source trains on; the frozen copy keeps its parameters
    EmotionModel.Scores scores = frozen.score(batch);
    for (int i = 0; i < before.length; i++) {
      for (int c = 0; c < before[i].length; c++) assertEquals(before[i][c], scores.probabilities()[i][c], 1e-5, "item " + i);
    }
    assertTrue(frozen.sparseVertex(Modality.VISUAL).lastMacsPerUtterance(batch.size())[1] > 0,
        "the frozen graph's own sparse blocks ran");
    assertThrows(IllegalStateException.class, () -> frozen.fit(batch));
    assertThrows(IllegalStateException.class, () -> frozen.restore(frozen.snapshot()));
  }
}
