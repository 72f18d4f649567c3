package ai.mesm.model.layers;

/**
 * Layer normalisation of rows [n, features] in double, as {@link LayerNorm} defines it
 * ((x − mean) / √(var + eps) · gain + bias, variance biased): the forward pass keeps the
 * normalised rows and each row's 1 / √(var + eps) for the backward pass.
 */
final class LayerNormRows {
  private final int rows;
  private final int features;
  private final double[] normalised;
  private final double[] inverseStd;

  LayerNormRows(double[] x, int rows, int features, double eps) {
    this.rows = rows;
    this.features = features;
    normalised = new double[rows * features];
    inverseStd = new double[rows];
    for (int r = 0; r < rows; r++) {
      int o = r * features;
      double mean = 0;
      for (int f = 0; f < features; f++) mean += x[o + f];
      mean /= features;
      double var = 0;
      for (int f = 0; f < features; f++) {
        double d = x[o + f] - mean;
        normalised[o + f] = d;
        var += d * d;
      }
      inverseStd[r] = 1 / Math.sqrt(var / features + eps);
      for (int f = 0; f < features; f++) normalised[o + f] *= inverseStd[r];
    }
  }

  /** normalised · gain + bias. */
  double[] apply(double[] gain, double[] bias) {
    double[] y = new double[rows * features];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < features; f++) y[r * features + f] = normalised[r * features + f] * gain[f] + bias[f];
    }
    return y;
  }

  /** The input's gradient from the output's {@code dy}; gain and bias gradients added into dGain and dBias. */
  double[] backward(double[] dy, double[] gain, double[] dGain, double[] dBias) {
    double[] dx = new double[rows * features];
    for (int r = 0; r < rows; r++) {
      int o = r * features;
      double meanD = 0;
      double meanDx = 0;
      for (int f = 0; f < features; f++) {
        dGain[f] += dy[o + f] * normalised[o + f];
        dBias[f] += dy[o + f];
        double d = dy[o + f] * gain[f];
        dx[o + f] = d;
        meanD += d;
        meanDx += d * normalised[o + f];
      }
      meanD /= features;
      meanDx /= features;
      for (int f = 0; f < features; f++) dx[o + f] = inverseStd[r] * (dx[o + f] - meanD - normalised[o + f] * meanDx);
    }
    return dx;
  }
}
