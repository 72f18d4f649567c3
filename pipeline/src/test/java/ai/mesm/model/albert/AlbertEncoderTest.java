package ai.mesm.model.albert;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.io.SafetensorsFile;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.ModelSpec;
import ai.mesm.testing.Slow;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoder in the model graph against Hugging Face's outputs on the tiny checkpoint: the text
 * vector (last layer, first position) of every case, alone and padded into one batch.
 */
class AlbertEncoderTest {
  private static final int TOKENS = 64;
  private static ComputationGraph graph;
  private static AlbertWeights.Report report;

  @BeforeAll
  static void load() throws Exception {
    ModelSpec spec = AlbertFixture.textSpec(TOKENS, 1e-3);
    graph = EmotionModel.graph(spec);
    String file = AlbertFixture.folder().resolve("model.safetensors").toString();
    report = AlbertWeights.load(SafetensorsFile.read(AlbertFixture.folder().resolve("model.safetensors")), file, graph);
  }

  private static INDArray textVector(int[][] ids) {
    INDArray x = Nd4j.zeros(DataType.FLOAT, ids.length, TOKENS);
    INDArray mask = Nd4j.zeros(DataType.FLOAT, ids.length, TOKENS);
    for (int b = 0; b < ids.length; b++) {
      for (int t = 0; t < ids[b].length; t++) {
        x.putScalar(b, t, ids[b][t]);
        mask.putScalar(b, t, 1);
      }
    }
    graph.setLayerMaskArrays(new INDArray[] {mask}, null);
    Map<String, INDArray> out = graph.feedForward(new INDArray[] {x}, false, false);
    graph.clearLayerMaskArrays();
    return out.get(AlbertWeights.ENCODER_LAYER);
  }

  private static int[] ids(JsonArray a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
    return out;
  }

  @Test
  void reportsTheHeadsItSkipped() {
    assertEquals(23, report.loaded().size(), report.loaded().toString());
    assertTrue(report.skipped().contains("albert.pooler.weight"), report.skipped().toString());
    assertTrue(report.skipped().contains("predictions.dense.weight"), report.skipped().toString());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "hidden_act {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"gelu_new", "gelu"})
  @Slow
  void gradientsOfEveryParameterWithPaddedTexts(String activation) {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      AlbertConfig tiny = new AlbertConfig(12, 4, 6, 2, 2, 8, activation, 8, 2, 1e-12, 0.5, 0);
      ModelSpec spec = ModelSpec.builder().type("fe2e").modalities(java.util.List.of(ai.mesm.model.Modality.TEXT))
          .classes(6).dim(8).heads(2).layers(1).feedForward(16).dropout(0.0).positionalEncoding(false)
          .textPositions(false).vocabSize(12).maxTokens(5).faceSize(16).melBins(16).chunkFrames(16).channelDivisor(16)
          .positiveWeights(new double[] {1, 2, 3, 0.5, 1.5, 4}).learningRate(1e-3).seed(7).topP(1.0)
          .attentionGradient("reference").albert(new PretrainedText(tiny, 10, "x", "{}", "x")).build();
      ComputationGraph net = new ComputationGraph(ai.mesm.model.Fe2eGraph.build(spec, DataType.DOUBLE,
          new org.nd4j.linalg.learning.config.NoOp()));
      net.init();
      INDArray ids = Nd4j.create(new double[][] {{2, 5, 7, 3, 0}, {2, 9, 3, 0, 0}, {2, 4, 6, 8, 3}});
      INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 0}, {1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}});
      INDArray labels = Nd4j.create(new double[][] {{1, 0, 0, 1, 0, 0}, {0, 1, 0, 0, 0, 1}, {0, 0, 1, 0, 1, 0}});
      var data = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {ids}, new INDArray[] {labels},
          new INDArray[] {mask}, null);
      java.util.List<String> failures = ai.mesm.model.SampledGradientCheck.run(net, data, name -> true,
          ai.mesm.model.SampledGradientCheck.PER_ARRAY, 1e-6, 1e-3, 1e-8);
      assertTrue(failures.isEmpty(), String.join("\n", failures));
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void everyCaseGivesHuggingFacesTextVector() {
    for (JsonElement c : AlbertFixture.cases().getAsJsonArray("cases")) {
      JsonObject o = c.getAsJsonObject();
      int[] ids = ids(o.getAsJsonArray("input_ids"));
      float[] expected = AlbertFixture.floats(o.getAsJsonArray("last_hidden_state").get(0).getAsJsonArray());
      float[] actual = textVector(new int[][] {ids}).getRow(0).toFloatVector();
      assertArrayEquals(expected, actual, 1e-4f, o.get("name").getAsString());
    }
  }

  @Test
  void aPaddedBatchGivesEachTextItsOwnVector() {
    JsonObject batch = AlbertFixture.cases().getAsJsonObject("batch");
    JsonArray rows = batch.getAsJsonArray("input_ids");
    JsonArray masks = batch.getAsJsonArray("attention_mask");
    int[][] ids = new int[rows.size()][];
    for (int b = 0; b < ids.length; b++) {
      int[] all = ids(rows.get(b).getAsJsonArray());
      int real = 0;
      for (JsonElement m : masks.get(b).getAsJsonArray()) real += m.getAsInt();
      ids[b] = java.util.Arrays.copyOf(all, real);
    }
    INDArray vectors = textVector(ids);
    for (int b = 0; b < ids.length; b++) {
      float[] expected = AlbertFixture.floats(batch.getAsJsonArray("last_hidden_state").get(b).getAsJsonArray()
          .get(0).getAsJsonArray());
      assertArrayEquals(expected, vectors.getRow(b).toFloatVector(), 1e-4f, "batch row " + b);
    }
  }
}
