package ai.mesm.model.layers;

import ai.mesm.model.sparse.Rows;
import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link MaxPool2x2}: one image plane at a time, copied to the heap, pooled by a plain
 * loop, copied back, planes split over the cores. A training pass records which cell of each
 * window won (the first maximum in row order) and the backward pass routes the gradient there.
 */
final class MaxPool2x2Vertex extends ParameterlessVertex {
  private long[] inputShape;
  private byte[] winner;

  MaxPool2x2Vertex(ComputationGraph graph, String name, int index, DataType dataType) {
    super(graph, name, index, dataType);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    INDArray x = DenseArrays.readable(inputs[0]);
    if (x.rank() != 4) throw new IllegalStateException(getVertexName() + ": expected [n, C, H, W], got " + x.shapeInfoToString());
    inputShape = x.shape();
    Planes g = new Planes(inputShape);
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(),
        new long[] {inputShape[0], inputShape[1], g.ho, g.wo}, 'c');
    byte[] won = training ? new byte[Math.toIntExact(out.length())] : null;
    winner = won;
    PlaneIo in = PlaneIo.of(x, g.h * g.w, "2x2 max-pool");
    PlaneIo o = PlaneIo.of(out, g.ho * g.wo, "2x2 max-pool");
    Rows.inParts(g.planes, g.planesPerPart(), (from, to) -> {
      double[] plane = new double[g.h * g.w];
      double[] pooled = new double[g.ho * g.wo];
      float[] scratch = new float[g.h * g.w];
      for (int p = from; p < to; p++) {
        in.read(p, plane, scratch);
        for (int i = 0; i < g.ho; i++) {
          int top = 2 * i * g.w;
          int row = i * g.wo;
          for (int j = 0; j < g.wo; j++) {
            // Branch-free: branches (or ternaries) on the values mispredicted about half the time
            // and cost ~3x this. later(x, y) is 1 when y > x (the sign of x − y): ties keep the
            // earlier cell, so the winner is the first maximum in row order.
            int at = top + 2 * j;
            double a = plane[at];
            double b = plane[at + 1];
            double c = plane[at + g.w];
            double d = plane[at + g.w + 1];
            double ab = Math.max(a, b);
            double cd = Math.max(c, d);
            pooled[row + j] = Math.max(ab, cd);
            if (won != null) {
              int kab = later(a, b);
              int kcd = 2 + later(c, d);
              won[p * g.ho * g.wo + row + j] = (byte) (kab + later(ab, cd) * (kcd - kab));
            }
          }
        }
        o.write(p, pooled, scratch);
      }
    });
    return out;
  }

  /** 1 when {@code y > x}, else 0, without a branch (the sign bit of x − y; finite values). */
  private static int later(double x, double y) {
    return (int) (Double.doubleToRawLongBits(x - y) >>> 63);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    if (winner == null) throw new IllegalStateException(getVertexName() + ": backward pass without a training forward pass");
    Planes g = new Planes(inputShape);
    INDArray eps = DenseArrays.readable(epsilon);
    INDArray dIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, eps.dataType(), inputShape, 'c');
    PlaneIo e = PlaneIo.of(eps, g.ho * g.wo, "2x2 max-pool");
    PlaneIo d = PlaneIo.of(dIn, g.h * g.w, "2x2 max-pool");
    byte[] won = winner;
    Rows.inParts(g.planes, g.planesPerPart(), (from, to) -> {
      double[] pooled = new double[g.ho * g.wo];
      double[] plane = new double[g.h * g.w];
      float[] scratch = new float[g.h * g.w];
      for (int p = from; p < to; p++) {
        e.read(p, pooled, scratch);
        Arrays.fill(plane, 0);
        for (int i = 0; i < g.ho; i++) {
          for (int j = 0; j < g.wo; j++) {
            int k = won[p * g.ho * g.wo + i * g.wo + j];
            plane[2 * i * g.w + 2 * j + (k >> 1) * g.w + (k & 1)] = pooled[i * g.wo + j];
          }
        }
        d.write(p, plane, scratch);
      }
    });
    return new Pair<>(new DefaultGradient(), new INDArray[] {dIn});
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    // Frames after SequenceToFrames carry no mask.
    return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
  }

  @Override
  public String toString() {
    return "MaxPool2x2Vertex(" + getVertexName() + ")";
  }

  /** Plane geometry of an [n, C, H, W] input: n·C planes of H×W, pooled to (H/2)×(W/2). */
  private record Planes(int planes, int h, int w, int ho, int wo) {
    Planes(long[] shape) {
      this(Math.toIntExact(shape[0] * shape[1]), (int) shape[2], (int) shape[3], (int) shape[2] / 2, (int) shape[3] / 2);
    }

    int planesPerPart() {
      return SplitWork.minItemsPerPart((long) h * w);
    }
  }
}
