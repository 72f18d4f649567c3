package ai.mesm.model.sparse;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sparse 2×2 max-pool, stride 2: an output site is active iff any input of its window is; its
 * value is the per-channel maximum over the window's active inputs. Inputs come after ReLU
 * (≥ 0), so an inactive input read as 0 cannot change a maximum; the gradient goes to the first
 * maximal input of the window, as DL4J's dense pooling does.
 */
public final class SparseMaxPool {
  private SparseMaxPool() {}

  /**
   * The pooled sites, each output's 4 window inputs ({@code window[o * 4 + q]}, −1 if inactive)
   * and each input's output site and window position (parent −1: outside every window).
   */
  public record Plan(SparseSites out, int[] window, int[] parent, int[] position) {}

  /** Forward result: pooled features [nOut, C] and, per output and channel, the window position of the maximum. */
  public record Result(INDArray out, INDArray argmax) {}

  public static Result forward(INDArray x, Plan plan) {
    long channels = x.size(1);
    int nOut = plan.out().size();
    if (nOut == 0) return new Result(Nd4j.create(x.dataType(), 0, channels), Nd4j.create(DataType.INT, 0, channels));
    INDArray windows = Rows.gather(x, plan.window()).reshape('c', nOut, 4, channels);
    return new Result(windows.max(1), windows.argMax(1).castTo(DataType.INT));
  }

  /** dX [n, C]: each input receives its output's error where it was the maximum. */
  public static INDArray backward(INDArray dOut, Result forward, Plan plan, long inputs) {
    long channels = dOut.size(1);
    if (inputs == 0) return Nd4j.create(dOut.dataType(), 0, channels);
    INDArray routed = Rows.gather(dOut, plan.parent());
    INDArray winner = Rows.gather(forward.argmax().castTo(dOut.dataType()), plan.parent());
    double[] pos = new double[plan.position().length];
    for (int i = 0; i < pos.length; i++) pos[i] = plan.parent()[i] < 0 ? -1 : plan.position()[i];
    INDArray mine = Nd4j.createFromArray(pos).castTo(dOut.dataType()).reshape(inputs, 1);
    return routed.muli(winner.eq(mine.broadcast(inputs, channels)).castTo(dOut.dataType()));
  }
}
