package ai.mesm.model.sparse;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BatchNorm over the active sites only (rows of an [n, C] feature matrix): padded or masked-out
 * sites never enter the statistics. Training uses the batch's mean and (biased) variance; the
 * caller keeps running averages for inference.
 */
public final class SparseBatchNorm {
  public static final double EPS = 1e-5;
  /** Rows per bulk copy of {@link #inferRelu}, and the fewest rows a core gets: a block stays in cache. */
  private static final int ROWS_PER_STEP = 256;

  private SparseBatchNorm() {}

  /** What the backward pass needs from a training forward pass. */
  public record Cache(INDArray xHat, INDArray std, INDArray mean, INDArray variance) {}

  public record Result(INDArray out, Cache cache) {}

  /** Training mode: normalise with the batch statistics. gamma, beta: [1, C]. */
  public static Result train(INDArray x, INDArray gamma, INDArray beta) {
    INDArray mean = x.mean(true, 0);
    INDArray variance = x.var(false, 0).reshape(1, x.size(1));
    INDArray std = Transforms.sqrt(variance.add(EPS), false);
    INDArray xHat = x.subRowVector(mean).diviRowVector(std);
    INDArray out = xHat.mulRowVector(gamma).addiRowVector(beta);
    return new Result(out, new Cache(xHat, std, mean, variance));
  }

  /** Inference mode: normalise with running statistics [1, C]. */
  public static INDArray infer(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray variance) {
    INDArray std = Transforms.sqrt(variance.add(EPS), false);
    return x.subRowVector(mean).diviRowVector(std).muliRowVector(gamma).addiRowVector(beta);
  }

  /**
   * Inference BatchNorm then ReLU, in place in one pass over the rows: relu(x·s + t) with
   * s = γ/√(var + ε), t = β − mean·s, blocks of rows at a time, split over the cores. (Three ND4J
   * broadcast ops and a ReLU took several times longer on these [n, C] matrices.)
   */
  public static INDArray inferRelu(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray variance) {
    if (x.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
      return applyRelu(x, inferenceAffine(gamma, beta, mean, variance));
    }
    return Transforms.relu(infer(Rows.contiguous(x), gamma, beta, mean, variance), false);
  }

  /** Inference BatchNorm as {scale, shift} per channel: s = γ/√(var + ε), t = β − mean·s. */
  public static float[][] inferenceAffine(INDArray gamma, INDArray beta, INDArray mean, INDArray variance) {
    // Read in place: a dup per vector (an ND4J op, ~20 µs) made the four reads ~0.5 ms per inference call.
    double[] g = NativeArrays.doubles(gamma);
    double[] b = NativeArrays.doubles(beta);
    double[] m = NativeArrays.doubles(mean);
    double[] v = NativeArrays.doubles(variance);
    int c = g.length;
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int k = 0; k < c; k++) {
      scale[k] = (float) (g[k] / Math.sqrt(v[k] + EPS));
      shift[k] = (float) (b[k] - m[k] * g[k] / Math.sqrt(v[k] + EPS));
    }
    return new float[][] {scale, shift};
  }

  /** relu(x·scale + shift) per channel, in place where x is contiguous, for FLOAT [n, C] rows. */
  private static INDArray applyRelu(INDArray x, float[][] affine) {
    int c = (int) x.size(1);
    INDArray out = Rows.contiguous(x);
    float[] scale = affine[0];
    float[] shift = affine[1];
    Rows.inHeldBlocks(out, ROWS_PER_STEP, Rows.Slot.NORM, true, (rows, from, count) -> {
      for (int r = 0; r < count; r++) {
        int o = r * c;
        for (int k = 0; k < c; k++) rows[o + k] = Math.max(0f, rows[o + k] * scale[k] + shift[k]);
      }
    });
    return out;
  }

  /** {dX, dGamma, dBeta} of {@link #train}. */
  public static INDArray[] backward(INDArray dOut, Cache cache, INDArray gamma) {
    long n = dOut.size(0);
    INDArray dBeta = dOut.sum(true, 0);
    INDArray dGamma = dOut.mul(cache.xHat()).sum(true, 0);
    // dX = γ/σ · (dY − mean(dY) − x̂ · mean(dY ⊙ x̂)), the standard closed form.
    INDArray dX = dOut.subRowVector(dBeta.div(n)).subi(cache.xHat().mulRowVector(dGamma.div(n)))
        .muliRowVector(gamma.div(cache.std()));
    return new INDArray[] {dX, dGamma, dBeta};
  }
}
