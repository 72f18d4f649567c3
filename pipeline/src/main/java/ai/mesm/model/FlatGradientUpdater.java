package ai.mesm.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's graph updater on its standard path. The updater reuses the per-block views it made once
 * only when the step's gradient is the graph's own flattened gradient array, which it checks by
 * identity; DL4J M2.1's {@code DefaultGradient.gradient()} returns a new reshape of that array on
 * every call, so every step took the "external gradient" path and rebuilt a view per block and
 * per parameter (docs/stack.md). This updater hands DL4J's the very array object when the
 * gradient is a view of the graph's own memory, and otherwise the gradient unchanged. The same
 * arithmetic on the same memory either way.
 */
final class FlatGradientUpdater extends ComputationGraphUpdater {
  /** Steps that went DL4J's standard way (for the test that this updater does what it is for). */
  int standardSteps;

  private FlatGradientUpdater(ComputationGraph graph, INDArray state) {
    super(graph, state);
  }

  /** Puts this updater in place of the graph's, keeping its optimiser state (the same array). */
  static void install(ComputationGraph graph) {
    ComputationGraphUpdater current = graph.getUpdater(true);
    if (current instanceof FlatGradientUpdater) return;
    graph.setUpdater(new FlatGradientUpdater(graph, current.getStateViewArray()));
  }

  @Override
  public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                  LayerWorkspaceMgr workspaceMgr) {
    INDArray view = getFlattenedGradientsView();
    INDArray flat = gradient.gradient();
    boolean graphs = flat != view && flat.length() == view.length() && flat.dataType() == view.dataType()
        && address(flat) == address(view);
    if (graphs) standardSteps++;
    super.update(graphs ? new OfView(gradient, view) : gradient, iteration, epoch, batchSize, workspaceMgr);
  }

  private static long address(INDArray a) {
    return a.data().address() + a.offset() * a.data().getElementSize();
  }

  /** A gradient whose flattened array is the graph's own view object; everything else delegated. */
  private record OfView(Gradient of, INDArray view) implements Gradient {
    @Override
    public INDArray gradient() {
      return view;
    }

    @Override
    public Map<String, INDArray> gradientForVariable() {
      return of.gradientForVariable();
    }

    @Override
    public INDArray gradient(List<String> order) {
      return of.gradient(order);
    }

    @Override
    public void clear() {
      of.clear();
    }

    @Override
    public INDArray getGradientFor(String variable) {
      return of.getGradientFor(variable);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray gradient) {
      return of.setGradientFor(variable, gradient);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
      return of.setGradientFor(variable, gradient, flatteningOrder);
    }

    @Override
    public Character flatteningOrderForVariable(String variable) {
      return of.flatteningOrderForVariable(variable);
    }
  }
}
