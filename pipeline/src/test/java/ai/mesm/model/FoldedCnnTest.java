package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.mesm.model.layers.CnnKernels;
import ai.mesm.model.layers.FoldedCnn;
import ai.mesm.model.layers.FoldedCnnVertex;
import ai.mesm.testing.NativeCnnExpected;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native folded CNN ({@link FoldedCnn}) computes what DL4J's folded convolution layers compute,
 * and what the training-form CNN computes in inference mode, at widths that take every tile of its
 * kernel: blocks of 64 output channels
 * (several for 128–512), 32 and 16, rows whose width is not a multiple of a tile (16, 8, 20, 10, 5
 * pixels), odd sizes pooled, and a padded batch.
 */
class FoldedCnnTest {
  @ParameterizedTest(name = "{0}, channel divisor {1}, {2} layers")
  @CsvSource({"visual, 1, 13", "audio, 1, 13", "visual, 4, 13", "audio, 2, 6", "visual, 16, 6"})
  void foldedNativeCnnEqualsTheTrainingFormInInferenceMode(String modality, int divisor, int layerCount) {
    Modality m = Modality.valueOf(modality.toUpperCase(java.util.Locale.ROOT));
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false).toBuilder()
        .channelDivisor(divisor).faceSize(16).melBins(24).chunkFrames(20).build();
    boolean nativeCnn = NativeCnnExpected.here();
    assertEquals(nativeCnn, FoldedCnn.available(DataType.FLOAT), "the native folded CNN runs where AVX-512 is (this machine)");
    List<FeatureCnn.Layer> layers = FeatureCnn.layers(divisor).subList(0, layerCount);
    ComputationGraph trained = new ComputationGraph(Fe2eGraph.featureExtractor(spec, m, DataType.FLOAT, layers));
    trained.init();
    Nd4j.getRandom().setSeed(11);
    for (var v : trained.getVertices()) {
      if (!v.getVertexName().endsWith("_bn")) continue;
      for (Map.Entry<String, INDArray> p : v.paramTable(false).entrySet()) {
        INDArray noise = Nd4j.rand(p.getValue().dataType(), p.getValue().shape());
        p.getValue().addi(noise.subi(0.5).muli(p.getKey().equals("mean") ? 2.0 : 0.8));
      }
    }
    ComputationGraph folded = InferenceGraph.fold(trained,
        Fe2eGraph.foldedFeatureExtractor(spec, m, DataType.FLOAT, layers));
    assertEquals(nativeCnn, folded.getVertex(m.inputName() + "_cnn") instanceof FoldedCnnVertex, "one native CNN vertex");

    long features = m == Modality.AUDIO ? spec.audioFeatures() : spec.visualFeatures();
    INDArray x = Nd4j.randn(DataType.FLOAT, 3, features, 4);
    INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 0}, {1, 0, 0, 0}, {1, 1, 1, 1}});
    INDArray expected = trained.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
    INDArray actual = folded.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
    assertArrayEquals(expected.shape(), actual.shape());
    INDArray layersForm;
    CnnKernels.configure("java");
    try {
      layersForm = InferenceGraph.fold(trained, Fe2eGraph.foldedFeatureExtractor(spec, m, DataType.FLOAT, layers))
          .output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
    } finally {
      CnnKernels.configure("auto");
    }
    double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
    // The kernel against DL4J's folded convolutions: the same weights, only the order of the sums differs.
    double kernel = layersForm.sub(actual).amaxNumber().doubleValue();
    assertTrue(kernel <= 1e-5 * scale, "native folded CNN differs from DL4J's folded layers by " + kernel + " (largest " + scale + ")");
    // Against the training form: folding in float drifts by ~2e-4 of the largest value over 13 layers
    // with these widened BatchNorm statistics, in DL4J's folded layers as much as here.
    double folding = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(folding <= 1e-3 * scale, "folded CNN differs from the training form by " + folding + " (largest " + scale + ")");
    assertTrue(expected.amaxNumber().doubleValue() > 0 && expected.neq(0).castTo(DataType.INT).sumNumber().intValue() > expected.length() / 10,
        "the maps are not all zero");
  }
}
