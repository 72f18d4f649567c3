package ai.mesm.model;

import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation, which the reference keeps for all its nn.Linear and
 * nn.Conv2d modules (and spconv for its submanifold convolutions): weights and biases uniform in
 * ±1/√fan-in ({@code kaiming_uniform_(a=√5)} for weights; the same bound for biases).
 */
public final class TorchInit {
  private TorchInit() {}

  /** Fills {@code p} uniformly in ±1/√fanIn, drawing from {@code random}. */
  public static void uniform(INDArray p, long fanIn, Random random) {
    double bound = 1 / Math.sqrt(fanIn);
    double[] v = new double[Math.toIntExact(p.length())];
    for (int i = 0; i < v.length; i++) v[i] = (2 * random.nextDouble() - 1) * bound;
    p.assign(Nd4j.createFromArray(v).castTo(p.dataType()).reshape(p.shape()));
  }

  /** Every dense layer (weights and biases) and convolution (weights) of the graph, seeded. */
  public static void apply(ComputationGraph graph, long seed) {
    Random random = new Random(seed);
    for (Layer layer : graph.getLayers()) {
      var conf = layer.conf().getLayer();
      Map<String, INDArray> p = layer.paramTable();
      if (conf instanceof DenseLayer dense) {
        uniform(p.get("W"), dense.getNIn(), random);
        if (p.containsKey("b")) uniform(p.get("b"), dense.getNIn(), random);
      } else if (conf instanceof ConvolutionLayer conv) {
        long fanIn = conv.getNIn() * conv.getKernelSize()[0] * conv.getKernelSize()[1];
        uniform(p.get("W"), fanIn, random);
        if (p.containsKey("b")) uniform(p.get("b"), fanIn, random);
      }
    }
  }
}
