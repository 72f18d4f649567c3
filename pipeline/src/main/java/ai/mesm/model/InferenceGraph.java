package ai.mesm.model;

import ai.mesm.model.layers.FoldedCnn;
import ai.mesm.model.layers.FoldedCnnVertex;
import ai.mesm.model.layers.MesmSparseVertex;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained graph in the form that only predicts: every convolution → BatchNorm → ReLU of the CNNs
 * (FE2E's and MESM's dense stem) becomes one convolution with a bias that applies the ReLU itself.
 * In inference BatchNorm is an affine map per channel with its running statistics,
 * {@code y = γ·(x − μ)/σ + β}, so it folds exactly into the convolution before it:
 * {@code w' = w·γ/σ} per output channel and {@code b = β − μ·γ/σ}. The folded graph skips a pass over
 * every feature map per layer (BatchNorm) and the separate activation layer with its copy. Every other
 * vertex is the training graph's, with its parameters copied. The copy is frozen: training the
 * source graph later does not change it; MESM's sparse blocks predict from a 64-byte-aligned copy of
 * their parameters ({@link ai.mesm.model.sparse.AlignedParams}). Where the native kernel runs ({@link FoldedCnn#available}),
 * each CNN is one {@link FoldedCnn} vertex holding all its folded convolutions.
 */
public final class InferenceGraph {
  private InferenceGraph() {}

  public static ComputationGraph fold(ModelSpec spec, ComputationGraph trained) {
    return fold(trained, Fe2eGraph.buildFolded(spec, trained.params().dataType()));
  }

  /** {@code trained} folded into {@code foldedForm}, a configuration of the same network in the folded form. */
  public static ComputationGraph fold(ComputationGraph trained, ComputationGraphConfiguration foldedForm) {
    ComputationGraph folded = new ComputationGraph(foldedForm);
    folded.init();
    for (GraphVertex v : folded.getVertices()) {
      Map<String, INDArray> target = v.paramTable(false);
      if (target == null || target.isEmpty()) continue;
      String name = v.getVertexName();
      if (v instanceof FoldedCnnVertex cnn) {
        foldCnn(cnn, trained);
        continue;
      }
      GraphVertex source = trained.getVertex(name);
      GraphVertex batchNorm = trained.getVertex(name + "_bn");
      if (batchNorm != null) {
        foldInto(target, source.paramTable(false), batchNorm);
      } else {
        Map<String, INDArray> from = source.paramTable(false);
        if (!from.keySet().equals(target.keySet())) {
          throw new IllegalStateException(name + ": parameters " + from.keySet() + " vs folded " + target.keySet());
        }
        target.forEach((key, array) -> array.assign(from.get(key)));
        if (v instanceof MesmSparseVertex sparse) sparse.freeze();
      }
    }
    return folded;
  }

  /** Each convolution i of the CNN vertex {@code <modality>_cnn} from {@code <modality>_cnn<i>} and its BatchNorm. */
  private static void foldCnn(FoldedCnnVertex cnn, ComputationGraph trained) {
    Map<String, INDArray> target = cnn.paramTable(false);
    for (int i = 0; i < cnn.layerCount(); i++) {
      INDArray w = target.get(FoldedCnn.weightName(i));
      if (w == null) continue; // a pool
      String name = cnn.getVertexName() + i;
      GraphVertex source = trained.getVertex(name);
      GraphVertex batchNorm = trained.getVertex(name + "_bn");
      if (source == null || batchNorm == null) throw new IllegalStateException(name + ": no convolution + BatchNorm to fold");
      Map<String, INDArray> conv = new LinkedHashMap<>();
      conv.put(ConvolutionParamInitializer.WEIGHT_KEY, w);
      conv.put(ConvolutionParamInitializer.BIAS_KEY, target.get(FoldedCnn.biasName(i)));
      foldInto(conv, source.paramTable(false), batchNorm);
    }
    cnn.parametersChanged();
  }

  private static void foldInto(Map<String, INDArray> conv, Map<String, INDArray> trainedConv, GraphVertex batchNorm) {
    Map<String, INDArray> bn = batchNorm.paramTable(false);
    BatchNormalization conf = (BatchNormalization) batchNorm.getLayer().conf().getLayer();
    INDArray gamma = bn.get(BatchNormalizationParamInitializer.GAMMA).reshape(-1);
    INDArray beta = bn.get(BatchNormalizationParamInitializer.BETA).reshape(-1);
    INDArray mean = bn.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
    INDArray sigma = conf.isUseLogStd()
        ? Transforms.pow(Nd4j.valueArrayOf(gamma.shape(), 10.0, gamma.dataType()),
            bn.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).reshape(-1), false)
        : Transforms.sqrt(bn.get(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1).add(conf.getEps()), false);
    INDArray scale = gamma.div(sigma);
    INDArray w = trainedConv.get(ConvolutionParamInitializer.WEIGHT_KEY);
    long out = w.size(0);
    conv.get(ConvolutionParamInitializer.WEIGHT_KEY)
        .assign(w.reshape(out, -1).mulColumnVector(scale.reshape(out, 1)).reshape(w.shape()));
    INDArray bias = conv.get(ConvolutionParamInitializer.BIAS_KEY);
    bias.assign(beta.sub(mean.mul(scale)).reshape(bias.shape()));
  }
}
