package ai.mesm.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything besides the model that a run needs to continue after its last completed epoch: the
 * early-stopping counters, the history, the parameters of the best epoch so far, and the
 * sessions (first run, each resume) that produced them.
 *
 * @param best null before the first epoch
 */
public record TrainingState(int epochs, int bestEpoch, double bestScore, List<EpochResult> history,
                            List<Session> sessions, INDArray best) {

  /** One process that trained this run: when it started and which epochs it ran, and where (local / spark). */
  public record Session(String started, int firstEpoch, int lastEpoch, String mode) {}

  public TrainingState withBest(INDArray parameters) {
    return new TrainingState(epochs, bestEpoch, bestScore, history, sessions, parameters);
  }

  public EarlyStopping stopping(int patience, int maxEpochs) {
    return EarlyStopping.restore(patience, maxEpochs, epochs, bestEpoch, bestScore);
  }
}
