package ai.mesm.model.sparse;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sparse 2×2 max-pool, stride 2: an output site is active iff any input of its window is; its
 * value is the per-channel maximum over the window's active inputs. Inputs come after ReLU
 * (≥ 0), so an inactive input read as 0 cannot change a maximum; the gradient goes to the first
 * maximal input of the window, as DL4J's dense pooling does. Plain loops over the rows: four
 * values per output and channel do not pay for ND4J op calls.
 */
public final class SparseMaxPool {
  /** Fewer outputs per core than this and splitting {@link #forwardInference} cost more than it saved. */
  private static final int OUTPUTS_PER_PART = 512;

  private SparseMaxPool() {}

  /**
   * The pooled sites, each output's 4 window inputs ({@code window[o * 4 + q]}, −1 if inactive)
   * and each input's output site and window position (parent −1: outside every window).
   */
  public record Plan(SparseSites out, int[] window, int[] parent, int[] position) {}

  /** Forward result: pooled features [nOut, C] and, per output and channel ({@code o * C + c}), the window position of the maximum. */
  public record Result(INDArray out, int[] argmax) {}

  public static Result forward(INDArray x, Plan plan) {
    int channels = (int) x.size(1);
    int nOut = plan.out().size();
    if (nOut == 0) return new Result(Nd4j.create(x.dataType(), 0, channels), new int[0]);
    Rows.Source source = Rows.Source.reused(x, Rows.Slot.INPUT);
    double[] out = new double[nOut * channels]; // an inactive input reads as 0 (inputs come after ReLU)
    int[] argmax = new int[nOut * channels];
    int[] window = plan.window();
    // Window position outermost, channels innermost: whole rows at a time, which the JIT vectorises.
    for (int o = 0; o < nOut; o++) {
      int base = o * channels;
      java.util.Arrays.fill(out, base, base + channels, Double.NEGATIVE_INFINITY);
      for (int q = 0; q < 4; q++) {
        int i = window[o * 4 + q];
        if (i < 0) {
          for (int c = 0; c < channels; c++) {
            if (0.0 > out[base + c]) {
              out[base + c] = 0.0;
              argmax[base + c] = q;
            }
          }
        } else if (source.floats() != null) {
          float[] in = source.floats();
          int row = i * channels;
          for (int c = 0; c < channels; c++) {
            if (in[row + c] > out[base + c]) {
              out[base + c] = in[row + c];
              argmax[base + c] = q;
            }
          }
        } else {
          double[] in = source.doubles();
          int row = i * channels;
          for (int c = 0; c < channels; c++) {
            if (in[row + c] > out[base + c]) {
              out[base + c] = in[row + c];
              argmax[base + c] = q;
            }
          }
        }
      }
    }
    return new Result(Rows.matrix(out, nOut, channels, x.dataType()), argmax);
  }

  /**
   * The pooled features without the argmax bookkeeping that only the backward pass needs, for
   * inputs ≥ 0 (after ReLU): every output starts at 0 (what an inactive input reads as) and takes
   * the element-wise maximum of its active inputs' rows, a loop the JIT vectorises, split over
   * the cores (outputs write disjoint rows).
   */
  public static INDArray forwardInference(INDArray x, Plan plan) {
    int channels = (int) x.size(1);
    int nOut = plan.out().size();
    if (nOut == 0 || x.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) return forward(x, plan).out();
    if (NativeKernels.appliesTo(x, channels)) return forwardNative(x, plan);
    float[] in = Rows.Source.reused(x, Rows.Slot.INPUT).floats();
    float[] out = new float[nOut * channels];
    int[] window = plan.window();
    Rows.inParts(nOut, OUTPUTS_PER_PART, (first, last) -> {
      for (int o = first; o < last; o++) {
        int base = o * channels;
        for (int q = 0; q < 4; q++) {
          int i = window[o * 4 + q];
          if (i < 0) continue;
          int row = i * channels;
          for (int c = 0; c < channels; c++) out[base + c] = Math.max(out[base + c], in[row + c]);
        }
      }
    });
    INDArray result = Nd4j.createUninitialized(x.dataType(), nOut, channels);
    result.data().asNioFloat().put(0, out);
    return result;
  }

  /** {@link #forwardInference} by the native kernels: no copy of the rows to the heap and back. */
  private static INDArray forwardNative(INDArray x, Plan plan) {
    int channels = (int) x.size(1);
    int nOut = plan.out().size();
    INDArray in = NativeArrays.readable(x);
    INDArray out = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT, nOut, channels);
    long xa = NativeArrays.address(in);
    long ya = NativeArrays.address(out);
    int[] window = plan.window();
    Rows.inParts(nOut, OUTPUTS_PER_PART, (first, last) -> NativeKernels.maxPool(xa, channels, window, first, last, ya));
    java.lang.ref.Reference.reachabilityFence(in);
    return out;
  }

  /** dX [n, C]: each input receives its output's error where it was the maximum. */
  public static INDArray backward(INDArray dOut, Result forward, Plan plan, long inputs) {
    int channels = (int) dOut.size(1);
    if (inputs == 0 || dOut.size(0) == 0) return Nd4j.zeros(dOut.dataType(), inputs, channels);
    Rows.Source d = Rows.Source.reused(dOut, Rows.Slot.INPUT);
    double[] dx = new double[(int) inputs * channels];
    for (int i = 0; i < inputs; i++) {
      int o = plan.parent()[i];
      if (o < 0) continue;
      int q = plan.position()[i];
      for (int c = 0; c < channels; c++) {
        if (forward.argmax()[o * channels + c] == q) dx[i * channels + c] = d.value(o * channels + c);
      }
    }
    return Rows.matrix(dx, (int) inputs, channels, dOut.dataType());
  }
}
