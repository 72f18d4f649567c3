package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.model.albert.AlbertFixture;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * The paper fine-tunes ALBERT ten times slower than the rest. Adam's first step moves every
 * parameter with a gradient by almost exactly its learning rate (m̂/√v̂ = ±1), so the largest
 * change per parameter group shows which rate it was given.
 */
class AlbertLearningRateTest {
  private static final double LR = 1e-3;

  private static double largestStep(ComputationGraph graph, INDArray before, String layer, String param) {
    INDArray now = graph.getLayer(layer).getParam(param);
    return now.sub(before).amaxNumber().doubleValue();
  }

  @Test
  void albertAndTheTextHeadLearnTenTimesSlowerThanTheAudioBranch() throws Exception {
    ModelSpec spec = AlbertFixture.spec("fe2e", List.of(Modality.TEXT, Modality.AUDIO), 12, LR);
    ComputationGraph graph = EmotionModel.graph(spec);
    RandomInputs in = new RandomInputs(spec, new int[][] {{6, 3, 0}, {12, 2, 0}, {4, 1, 0}}, new int[] {12, 3, 0}, 5,
        DataType.FLOAT);
    String[][] watched = {{"text_embedding", "W"}, {"text_encoder", "qW"}, {"text_encoder", "ffnB"}, {"text_head", "W"},
        {"audio_fc2", "W"}, {"audio_head", "W"}};
    INDArray[] before = new INDArray[watched.length];
    for (int i = 0; i < watched.length; i++) before[i] = graph.getLayer(watched[i][0]).getParam(watched[i][1]).dup();
    graph.fit(new MultiDataSet(in.features, new INDArray[] {in.labels}, in.masks, null));
    for (int i = 0; i < watched.length; i++) {
      double expected = watched[i][0].startsWith("text_") ? LR / 10 : LR;
      double step = largestStep(graph, before[i], watched[i][0], watched[i][1]);
      assertEquals(expected, step, expected * 0.02, String.join(":", watched[i]) + " moved by " + step);
    }
  }
}
