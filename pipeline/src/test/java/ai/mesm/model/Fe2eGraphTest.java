package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.mesm.testing.Slow;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class Fe2eGraphTest {

  private static ComputationGraph graph(ModelSpec spec, DataType type) {
    ComputationGraph g = new ComputationGraph(Fe2eGraph.build(spec, type));
    g.init();
    return g;
  }

  /**
   * Every custom part (frames ↔ sequence, sinusoidal positions, the Transformer
   * encoder with CLS and masks, the logit fusion and the weighted BCE) in one small graph, every
   * parameter checked against finite differences in double precision. The full FE2E assembly is
   * the same parts around DL4J's own CNN layers.
   */
  @Test
  @Slow
  void gradientsOfEveryCustomPartMatchFiniteDifferences() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      var g = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
          .updater(new NoOp()).weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER).graphBuilder()
          .addInputs("text", "audio")
          .addLayer("embedding", new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder().nIn(10).nOut(4)
              .inputLength(5).build(), "text")
          .addLayer("text_encoder", new ai.mesm.model.layers.TransformerEncoder(4, 2, 2, 8, 0.0),
              new ai.mesm.model.layers.SinusoidalPositions(), "embedding")
          .addLayer("text_head", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(6)
              .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "text_encoder")
          .addVertex("frames", new ai.mesm.model.layers.SequenceToFrames(1, 2, 2), "audio")
          .addLayer("project", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(4)
              .activation(org.nd4j.linalg.activations.Activation.TANH).build(), "frames")
          .addVertex("sequence", new ai.mesm.model.layers.FramesToSequence(), "project", "audio")
          .addLayer("audio_encoder", new ai.mesm.model.layers.TransformerEncoder(4, 2, 1, 8, 0.0), "sequence")
          .addLayer("audio_head", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(6)
              .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "audio_encoder")
          .addVertex("fusion", new ai.mesm.model.layers.LogitFusion(2, 6), "text_head", "audio_head")
          .addLayer("loss", new org.deeplearning4j.nn.conf.layers.LossLayer.Builder()
              .lossFunction(new ai.mesm.model.loss.WeightedBceWithLogits(new double[] {1, 2, 3, 0.5, 1.5, 4}))
              .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "fusion")
          .setOutputs("loss")
          .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(10, 5),
              org.deeplearning4j.nn.conf.inputs.InputType.recurrent(4))
          .build();
      ComputationGraph net = new ComputationGraph(g);
      net.init();
      java.util.Random r = new java.util.Random(5);
      INDArray tokens = Nd4j.zeros(DataType.DOUBLE, 3, 5);
      INDArray tokenMask = Nd4j.zeros(DataType.DOUBLE, 3, 5);
      INDArray audio = Nd4j.zeros(DataType.DOUBLE, 3, 4, 4);
      INDArray audioMask = Nd4j.zeros(DataType.DOUBLE, 3, 4);
      int[][] lengths = {{5, 2}, {3, 0}, {4, 4}};
      for (int b = 0; b < 3; b++) {
        for (int t = 0; t < lengths[b][0]; t++) {
          tokens.putScalar(b, t, 1 + r.nextInt(9));
          tokenMask.putScalar(b, t, 1);
        }
        for (int t = 0; t < lengths[b][1]; t++) {
          audioMask.putScalar(b, t, 1);
          for (int f = 0; f < 4; f++) audio.putScalar(new long[] {b, f, t}, r.nextGaussian());
        }
      }
      INDArray labels = Nd4j.create(new double[][] {{1, 0, 0, 1, 0, 0}, {0, 1, 0, 0, 0, 1}, {0, 0, 1, 0, 1, 0}});
      var data = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {tokens, audio}, new INDArray[] {labels},
          new INDArray[] {tokenMask, audioMask}, null);
      List<String> failures = SampledGradientCheck.run(net, data, name -> true, SampledGradientCheck.PER_ARRAY, 1e-6,
          1e-3, 1e-8);
      assertTrue(failures.isEmpty(), String.join("\n", failures));
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void paddingDoesNotChangeOutputs() {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false);
    ComputationGraph g = graph(spec, DataType.FLOAT);
    int[][] lengths = {{5, 2, 3}, {3, 1, 0}, {7, 3, 2}};
    RandomInputs tight = new RandomInputs(spec, lengths, new int[] {7, 3, 3}, 3, DataType.FLOAT);
    RandomInputs padded = new RandomInputs(spec, lengths, new int[] {7, 6, 8}, 3, DataType.FLOAT);
    INDArray a = g.output(false, tight.features, tight.masks)[0];
    INDArray b = g.output(false, padded.features, padded.masks)[0];
    assertEquals(a, b);
  }

  @Test
  void longerTokenPaddingAndOtherUtterancesInTheBatchDoNotChangeOutputs() {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false);
    ComputationGraph g = graph(spec, DataType.FLOAT);
    ModelSpec longer = spec.withMaxTokens(12);
    ComputationGraph h = graph(longer, DataType.FLOAT);
    h.setParams(g.params());
    int[][] lengths = {{5, 2, 3}, {3, 1, 0}, {7, 3, 2}};
    RandomInputs in = new RandomInputs(spec, lengths, new int[] {7, 3, 3}, 3, DataType.FLOAT);
    RandomInputs inLonger = new RandomInputs(longer, lengths, new int[] {12, 3, 3}, 3, DataType.FLOAT);
    INDArray a = g.output(false, in.features, in.masks)[0];
    assertEquals(a, h.output(false, inLonger.features, inLonger.masks)[0]);

    // The second utterance alone gives the same output as inside the batch: no leak between rows.
    INDArray[] one = new INDArray[in.features.length];
    INDArray[] oneMask = new INDArray[in.masks.length];
    for (int i = 0; i < one.length; i++) {
      one[i] = in.features[i].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup();
      oneMask[i] = in.masks[i].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup();
    }
    assertTrue(a.getRow(1).equalsWithEps(g.output(false, one, oneMask)[0].getRow(0), 1e-5));
  }

  @Test
  void dropoutChangesTrainingPassesOnlyAndKeepsMasks() {
    ModelSpec base = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false);
    ModelSpec spec = base.toBuilder().dropout(0.3).textPositions(true).build();
    ComputationGraph g = graph(spec, DataType.FLOAT);
    RandomInputs in = new RandomInputs(spec, new int[][] {{5, 2, 3}, {3, 1, 0}}, new int[] {7, 4, 4}, 3, DataType.FLOAT);
    INDArray a = g.output(false, in.features, in.masks)[0];
    assertEquals(a, g.output(false, in.features, in.masks)[0], "inference is deterministic");
    INDArray t1 = g.output(true, in.features, in.masks)[0];
    INDArray t2 = g.output(true, in.features, in.masks)[0];
    assertNotEquals(t1, t2, "each training pass draws a new dropout mask");
    g.fit(new org.nd4j.linalg.dataset.MultiDataSet(in.features, new INDArray[] {in.labels}, in.masks, null));
    assertTrue(Double.isFinite(g.score()));
  }
}
