package ai.mesm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A finite-difference check of a graph's backprop gradients, parameter by parameter through each
 * vertex's own parameter views. DL4J's GradientCheckUtil names flat indices by vertex index order
 * while parameters are laid out in topological order, so with a parameterised vertex in the middle
 * of the graph its names (and its excludeParams) point at the wrong parameters; and BatchNorm's
 * running statistics, which carry an update rather than a gradient, must be left out by name.
 */
public final class SampledGradientCheck {
  /**
   * Elements checked per parameter array (all of them in arrays this small or smaller). Each
   * element costs two forward passes (~35 ms each for a tiny SameDiff graph, mostly per-op
   * overhead), so checking every element of the gradient-checked graphs took ~2 minutes of the
   * suite. A wrong gradient formula, mask or scale shows in every element of the arrays behind it;
   * what sampling can miss is an error confined to a few elements of one array, and those arrays
   * (masks, padded positions) are what the padding tests check on outputs.
   */
  public static final int PER_ARRAY = 6;

  private SampledGradientCheck() {}

  /** Failures as readable lines; empty when every sampled element agrees. */
  public static List<String> run(ComputationGraph net, MultiDataSet data, java.util.function.Predicate<String> parameters,
                          int perParameter, double epsilon, double maxRelError, double minAbsError) {
    return run(net, data, parameters, perParameter, epsilon, maxRelError, minAbsError, () -> {});
  }

  /**
   * As above, with {@code beforeEachPass} run before the analytic pass and before every scored
   * pass: resetting the random seed there makes each pass draw the same dropout masks.
   */
  public static List<String> run(ComputationGraph net, MultiDataSet data, java.util.function.Predicate<String> parameters,
                          int perParameter, double epsilon, double maxRelError, double minAbsError,
                          Runnable beforeEachPass) {
    beforeEachPass.run();
    net.setInputs(data.getFeatures());
    net.setLabels(data.getLabels());
    net.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
    net.computeGradientAndScore();
    Gradient g = net.gradient();
    Map<String, INDArray> grads = new java.util.HashMap<>();
    for (Map.Entry<String, INDArray> e : g.gradientForVariable().entrySet()) grads.put(e.getKey(), e.getValue().dup());
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (GraphVertex v : net.getVertices()) {
      for (Map.Entry<String, INDArray> p : v.paramTable(false).entrySet()) {
        String name = v.getVertexName() + "_" + p.getKey();
        if (isRunningStatistic(p.getKey()) || !parameters.test(name)) continue;
        INDArray param = p.getValue();
        INDArray grad = grads.get(name);
        if (grad == null) {
          failures.add(name + ": no gradient");
          continue;
        }
        long n = param.length();
        for (int s = 0; s < Math.min(perParameter, n); s++) {
          // By coordinates, not linear index: DL4J's weight views are 'f'-ordered.
          long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(param.shape(), perParameter >= n ? s : (s * 7919L) % n);
          double original = param.getDouble(at);
          param.putScalar(at, original + epsilon);
          beforeEachPass.run();
          double plus = net.score(data, true);
          param.putScalar(at, original - epsilon);
          beforeEachPass.run();
          double minus = net.score(data, true);
          param.putScalar(at, original);
          // DL4J's gradients are sums over the minibatch; scores are means.
          double numerical = (plus - minus) / (2 * epsilon) * data.getFeatures(0).size(0);
          double analytic = grad.getDouble(at);
          double abs = Math.abs(analytic - numerical);
          double rel = abs / (Math.abs(analytic) + Math.abs(numerical));
          if (abs > minAbsError && rel > maxRelError) {
            failures.add(name + java.util.Arrays.toString(at) + ": backprop " + analytic + ", numerical " + numerical);
          }
          checked++;
        }
      }
    }
    if (checked == 0) failures.add("nothing checked");
    return failures;
  }

  private static boolean isRunningStatistic(String param) {
    return param.equals("mean") || param.equals("var") || param.equals("log10stdev") || param.endsWith("Mean")
        || param.endsWith("Var");
  }
}
