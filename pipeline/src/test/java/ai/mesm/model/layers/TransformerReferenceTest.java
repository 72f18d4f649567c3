package ai.mesm.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.mesm.io.SafetensorsFile;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoder against the reference's PyTorch module on the same weights and the same padded
 * batch: fixtures/transformer-reference/encoder.safetensors, written by generate.py beside it
 * (nn.TransformerEncoder, 4 × nn.TransformerEncoderLayer(64, 4 heads, feed-forward 2048, ReLU,
 * post-LN, eps 1e-5), CLS prepended, padded keys masked, dropout off).
 */
class TransformerReferenceTest {
  private static final int DIM = 64;
  private static final int LAYERS = 4;

  private static ComputationGraph encoder(double dropout) {
    var conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).graphBuilder()
        .addInputs("in")
        .addLayer("enc", new TransformerEncoder(DIM, 4, LAYERS, 2048, dropout), "in")
        .setOutputs("enc").setInputTypes(InputType.recurrent(DIM)).build();
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }

  private static INDArray mask(INDArray lengths, long steps) {
    INDArray mask = Nd4j.zeros(DataType.FLOAT, lengths.length(), steps);
    for (int b = 0; b < lengths.length(); b++) {
      for (int t = 0; t < lengths.getInt(b); t++) mask.putScalar(b, t, 1);
    }
    return mask;
  }

  @Test
  void clsOutputEqualsPyTorchsOnTheSameWeights() throws Exception {
    SafetensorsFile f = SafetensorsFile.read(Path.of(TransformerReferenceTest.class
        .getResource("/fixtures/transformer-reference/encoder.safetensors").toURI()));
    ComputationGraph net = encoder(0.1); // dropout is a training-time matter: inference ignores it
    var layer = net.getLayer("enc");
    layer.getParam("cls").assign(f.get("cls").reshape(1, 1, DIM));
    for (int l = 0; l < LAYERS; l++) {
      String t = "layers." + l + ".";
      Map<String, INDArray> torch = Map.ofEntries(
          Map.entry("inW", f.get(t + "self_attn.in_proj_weight").transpose()),
          Map.entry("inB", f.get(t + "self_attn.in_proj_bias")),
          Map.entry("outW", f.get(t + "self_attn.out_proj.weight").transpose()),
          Map.entry("outB", f.get(t + "self_attn.out_proj.bias")),
          Map.entry("ln1g", f.get(t + "norm1.weight")), Map.entry("ln1b", f.get(t + "norm1.bias")),
          Map.entry("W1", f.get("shared.linear1.weight").transpose()), Map.entry("b1", f.get(t + "linear1.bias")),
          Map.entry("W2", f.get("shared.linear2.weight").transpose()), Map.entry("b2", f.get(t + "linear2.bias")),
          Map.entry("ln2g", f.get(t + "norm2.weight")), Map.entry("ln2b", f.get(t + "norm2.bias")));
      assertEquals(TransformerEncoder.LAYER_PARAMETERS.length, torch.size());
      for (Map.Entry<String, INDArray> e : torch.entrySet()) {
        INDArray p = layer.getParam(TransformerEncoder.key(l, e.getKey()));
        p.assign(e.getValue().reshape(p.shape()));
      }
    }
    INDArray input = f.get("input").permute(0, 2, 1).dup('c'); // PyTorch batch-first [b, T, dim] → [b, dim, T]
    INDArray mask = mask(f.get("lengths"), input.size(2));
    INDArray out = net.output(false, new INDArray[] {input}, new INDArray[] {mask})[0];
    INDArray expected = f.get("cls_output");
    double worst = Nd4j.math().abs(out.sub(expected)).maxNumber().doubleValue();
    assertTrue(worst <= 1e-5, "largest difference from PyTorch " + worst);
    System.out.println("encoder vs PyTorch: largest difference " + worst);
  }

  /**
   * A row that is constant over its features has variance 0: with eps it normalises to 0 (the
   * output is the LayerNorm bias); ND4J's own op, without eps, divided by ~0.
   */
  @Test
  void aConstantRowGivesFiniteOutputs() {
    ComputationGraph net = encoder(0.0);
    net.params().assign(0);
    var layer = net.getLayer("enc");
    layer.getParam("cls").assign(0.5);
    for (int l = 0; l < LAYERS; l++) {
      for (String g : new String[] {"ln1g", "ln2g"}) layer.getParam(TransformerEncoder.key(l, g)).assign(1);
      layer.getParam(TransformerEncoder.key(l, "ln2b")).assign(0.3);
      layer.getParam(TransformerEncoder.key(l, "ln1b")).assign(0.3);
    }
    INDArray input = Nd4j.valueArrayOf(new long[] {2, DIM, 3}, 0.5f);
    INDArray out = net.output(false, new INDArray[] {input}, new INDArray[] {Nd4j.ones(DataType.FLOAT, 2, 3)})[0];
    for (double v : out.reshape(-1).toDoubleVector()) assertEquals(0.3, v, 1e-4); // float rounding of the mean, / √eps
  }
}
