package ai.mesm.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gives each worker's copy of the network the driver's step and epoch counters before its first
 * step of a round. DL4J M2's workers build their copy from {@code ComputationGraphConfiguration.clone()},
 * which drops the counters, so every round would restart Adam's bias correction at step 1 (a
 * larger step than the local trainer takes: 28 % apart after one epoch here). The driver sets
 * {@link #startAt} before each round; the hook travels to the executors with the round's tasks.
 */
final class IterationCountHook implements TrainingHook {
  private static final long serialVersionUID = 1L;
  private int iteration;
  private int epoch;

  void startAt(int iteration, int epoch) {
    this.iteration = iteration;
    this.epoch = epoch;
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    if (model instanceof ComputationGraph g && g.getConfiguration().getIterationCount() < iteration) {
      g.getConfiguration().setIterationCount(iteration);
      g.getConfiguration().setEpochCount(epoch);
    }
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    throw new UnsupportedOperationException("MESM trains on MultiDataSets");
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {}
}
