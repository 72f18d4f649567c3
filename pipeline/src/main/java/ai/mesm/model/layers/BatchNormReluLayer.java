package ai.mesm.model.layers;

import ai.mesm.model.sparse.NativeArrays;
import ai.mesm.model.sparse.Rows;
import java.lang.ref.Reference;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link BatchNormRelu} on [n, C, H, W] activations: y = max(0, a·x + b) per channel,
 * with a = γ/√(var + ε), b = β − mean·a from the batch (training) or the running statistics
 * (inference). Channels are split over the cores, and each channel's activations are read from
 * ND4J once: training forward sums x and x² while keeping them, then writes y from what it kept;
 * backward keeps x and the ReLU-masked gradient g while summing g and g·x, then writes dx.
 * Arithmetic is in double whatever the array type. FLOAT arrays take the native kernel where
 * {@link CnnKernels} runs (the same passes; values in float, sums in double). The running statistics are updated exactly as
 * DL4J's layer does it, through the "gradients" of mean and log10stdev that its no-op updater subtracts:
 * mean − (1 − decay)(mean − batch mean), and log10 of the standard deviation of
 * decay·var + (1 − decay)·batch var (the batch variance biased, without ε).
 */
public class BatchNormReluLayer extends BatchNormalization {
  /** Per channel, from the last training forward pass. */
  private double[] batchMean;
  private double[] batchVar;
  private double[] scale;
  private double[] shift;

  public BatchNormReluLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    assertInputSet(false);
    INDArray x = DenseArrays.readable(input.castTo(dataType));
    Geometry g = geometry(x);
    double[] gamma = vector(BatchNormalizationParamInitializer.GAMMA);
    double[] beta = vector(BatchNormalizationParamInitializer.BETA);
    double eps = layerConf().getEps();
    double[] a = new double[g.channels];
    double[] b = new double[g.channels];
    double[] mean = training ? new double[g.channels] : vector(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    double[] var = training ? new double[g.channels] : runningVariance();
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    if (CnnKernels.enabled(x.dataType())) {
      long xAt = NativeArrays.address(x);
      long outAt = NativeArrays.address(out);
      // Each part pins arrays of its own (JNI may hand native code a copy and write all of it back).
      Rows.inParts(g.channels, SplitWork.minItemsPerPart((long) g.examples * g.plane), (from, to) -> {
        double[][] own = {mean.clone(), var.clone(), new double[g.channels], new double[g.channels]};
        CnnKernels.bnReluForward(CnnKernels.activeLevel(), xAt, outAt, g.examples, g.channels, g.plane, from, to, training,
            gamma, beta, eps, own[0], own[1], own[2], own[3]);
        copyRange(own, new double[][] {mean, var, a, b}, from, to);
      });
      Reference.reachabilityFence(x);
      CnnKernels.counted();
    } else {
      forwardInJava(x, out, g, training, gamma, beta, mean, var, a, b);
    }
    if (training) {
      batchMean = mean;
      batchVar = var;
      scale = a;
      shift = b;
    }
    return out;
  }

  /** Channels [from, to) of each {@code from[k]} into {@code to[k]}. */
  private static void copyRange(double[][] from, double[][] to, int first, int end) {
    for (int k = 0; k < from.length; k++) System.arraycopy(from[k], first, to[k], first, end - first);
  }

  private void forwardInJava(INDArray x, INDArray out, Geometry g, boolean training, double[] gamma, double[] beta,
                             double[] mean, double[] var, double[] a, double[] b) {
    double eps = layerConf().getEps();
    PlaneIo in = PlaneIo.of(x, g.plane, layerId());
    PlaneIo o = PlaneIo.of(out, g.plane, layerId());
    Rows.inParts(g.channels, SplitWork.minItemsPerPart((long) g.examples * g.plane), (from, to) -> {
      // In training, one channel's values of every example are read once: the output sweep runs from cache.
      double[] xs = new double[training ? g.examples * g.plane : g.plane];
      double[] plane = new double[g.plane];
      float[] scratch = new float[g.plane];
      for (int c = from; c < to; c++) {
        if (training) {
          double sum = 0;
          double squares = 0;
          for (int n = 0; n < g.examples; n++) {
            in.read(n * g.channels + c, plane, scratch);
            System.arraycopy(plane, 0, xs, n * g.plane, g.plane);
            for (int i = 0; i < g.plane; i++) {
              sum += plane[i];
              squares += plane[i] * plane[i];
            }
          }
          mean[c] = sum / g.count;
          var[c] = Math.max(0, squares / g.count - mean[c] * mean[c]);
        }
        a[c] = gamma[c] / Math.sqrt(var[c] + eps);
        b[c] = beta[c] - mean[c] * a[c];
        for (int n = 0; n < g.examples; n++) {
          int p = n * g.channels + c;
          if (training) {
            System.arraycopy(xs, n * g.plane, plane, 0, g.plane);
          } else {
            in.read(p, plane, scratch);
          }
          // max(0, z) exactly and without a branch: Math.max on data-dependent signs is mispredicted
          // about half the time, which made this loop several times slower.
          for (int i = 0; i < g.plane; i++) {
            double z = a[c] * plane[i] + b[c];
            plane[i] = (z + Math.abs(z)) * 0.5;
          }
          o.write(p, plane, scratch);
        }
      }
    });
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    RunningLayer.enter(this);
    assertInputSet(true);
    if (scale == null) throw new IllegalStateException(layerId() + ": backward pass without a training forward pass");
    INDArray x = DenseArrays.readable(input.castTo(dataType));
    INDArray dy = DenseArrays.readable(epsilon.castTo(dataType));
    Geometry g = geometry(x);
    double[] a = scale;
    double[] b = shift;
    double[] mean = batchMean;
    double[] std = new double[g.channels];
    for (int c = 0; c < g.channels; c++) std[c] = Math.sqrt(batchVar[c] + layerConf().getEps());
    double[] dGamma = new double[g.channels];
    double[] dBeta = new double[g.channels];
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    if (CnnKernels.enabled(x.dataType())) {
      long xAt = NativeArrays.address(x);
      long dyAt = NativeArrays.address(dy);
      long dxAt = NativeArrays.address(dx);
      Rows.inParts(g.channels, SplitWork.minItemsPerPart((long) g.examples * g.plane), (from, to) -> {
        double[][] own = {new double[g.channels], new double[g.channels]};
        CnnKernels.bnReluBackward(CnnKernels.activeLevel(), xAt, dyAt, dxAt, g.examples, g.channels, g.plane, from, to,
            a.clone(), b.clone(), mean.clone(), std.clone(), own[0], own[1]);
        copyRange(own, new double[][] {dGamma, dBeta}, from, to);
      });
      Reference.reachabilityFence(x);
      Reference.reachabilityFence(dy);
      CnnKernels.counted();
    } else {
      backwardInJava(x, dy, dx, g, a, b, mean, std, dGamma, dBeta);
    }
    return gradients(dx, dGamma, dBeta);
  }

  private void backwardInJava(INDArray x, INDArray dy, INDArray dx, Geometry g, double[] a, double[] b, double[] mean,
                              double[] std, double[] dGamma, double[] dBeta) {
    PlaneIo in = PlaneIo.of(x, g.plane, layerId());
    PlaneIo grad = PlaneIo.of(dy, g.plane, layerId());
    PlaneIo out = PlaneIo.of(dx, g.plane, layerId());
    Rows.inParts(g.channels, SplitWork.minItemsPerPart((long) g.examples * g.plane), (from, to) -> {
      // One channel's values of every example, read once: the second sweep runs from cache.
      double[] xs = new double[g.examples * g.plane];
      double[] gs = new double[g.examples * g.plane];
      double[] plane = new double[g.plane];
      float[] scratch = new float[g.plane];
      for (int c = from; c < to; c++) {
        double sumG = 0;
        double sumGx = 0;
        for (int n = 0; n < g.examples; n++) {
          int p = n * g.channels + c;
          in.read(p, plane, scratch);
          System.arraycopy(plane, 0, xs, n * g.plane, g.plane);
          grad.read(p, plane, scratch);
          for (int i = 0, k = n * g.plane; i < g.plane; i++, k++) {
            // ReLU's gradient without a branch (a branch on the data is mispredicted about half the
            // time): the sign bit of −z is 1 where z = a·x + b > 0.
            double gi = plane[i] * (Double.doubleToRawLongBits(-(a[c] * xs[k] + b[c])) >>> 63);
            gs[k] = gi;
            sumG += gi;
            sumGx += gi * xs[k];
          }
        }
        dBeta[c] = sumG;
        dGamma[c] = (sumGx - mean[c] * sumG) / std[c];
        // dx = a·(g − dβ/M − x̂·dγ/M) with x̂ = (x − mean)/std, as c0 + a·g + c1·x
        double c1 = -a[c] * dGamma[c] / (g.count * std[c]);
        double c0 = -a[c] * dBeta[c] / g.count - c1 * mean[c];
        for (int n = 0; n < g.examples; n++) {
          for (int i = 0, k = n * g.plane; i < g.plane; i++, k++) plane[i] = c0 + a[c] * gs[k] + c1 * xs[k];
          out.write(n * g.channels + c, plane, scratch);
        }
      }
    });
  }

  private Pair<Gradient, INDArray> gradients(INDArray dx, double[] dGamma, double[] dBeta) {
    Gradient gradient = new DefaultGradient();
    INDArray dGammaView = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
    INDArray dBetaView = gradientViews.get(BatchNormalizationParamInitializer.BETA);
    dGammaView.assign(row(dGamma, dGammaView));
    dBetaView.assign(row(dBeta, dBetaView));
    gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
    gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
    runningStatisticsSteps(gradient);
    return new Pair<>(gradient, dx);
  }

  /** The "gradients" that the no-op updater subtracts from the running mean and log10stdev (or variance). */
  private void runningStatisticsSteps(Gradient gradient) {
    double decay = layerConf().getDecay();
    int channels = batchMean.length;
    double[] mean = vector(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    double[] dMean = new double[channels];
    for (int c = 0; c < channels; c++) dMean[c] = (mean[c] - batchMean[c]) * (1 - decay);
    INDArray dMeanView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    dMeanView.assign(row(dMean, dMeanView));
    gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dMeanView);
    double[] var = runningVariance();
    double[] dVar = new double[channels];
    String key;
    if (layerConf().isUseLogStd()) {
      key = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;
      // log10(std now) − log10(std next) = log(var now / var next) / (2 ln 10)
      for (int c = 0; c < channels; c++) {
        double next = decay * var[c] + (1 - decay) * batchVar[c];
        dVar[c] = Math.log(var[c] / next) / (2 * Math.log(10));
      }
    } else {
      key = BatchNormalizationParamInitializer.GLOBAL_VAR;
      for (int c = 0; c < channels; c++) dVar[c] = (var[c] - batchVar[c]) * (1 - decay);
    }
    INDArray dVarView = gradientViews.get(key);
    dVarView.assign(row(dVar, dVarView));
    gradient.setGradientFor(key, dVarView);
  }

  private double[] runningVariance() {
    if (!layerConf().isUseLogStd()) return vector(BatchNormalizationParamInitializer.GLOBAL_VAR);
    double[] v = vector(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
    for (int c = 0; c < v.length; c++) v[c] = Math.pow(10, 2 * v[c]);
    return v;
  }

  private double[] vector(String param) {
    return getParam(param).reshape(-1).toDoubleVector();
  }

  private static INDArray row(double[] values, INDArray like) {
    return Nd4j.createFromArray(values).castTo(like.dataType()).reshape(like.shape());
  }

  private Geometry geometry(INDArray x) {
    org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
    if (x.rank() != 4 || conf.getCnn2DFormat() != CNN2DFormat.NCHW || conf.isLockGammaBeta()) {
      throw new IllegalStateException(layerId() + ": BatchNorm + ReLU takes [n, C, H, W] activations with learned gamma and beta, got "
          + x.shapeInfoToString() + " " + conf.getCnn2DFormat() + (conf.isLockGammaBeta() ? " with locked gamma/beta" : ""));
    }
    if (x.size(1) != conf.getNOut()) {
      throw new IllegalStateException(layerId() + ": " + x.size(1) + " channels, configured for " + conf.getNOut());
    }
    return new Geometry((int) x.size(0), (int) x.size(1), Math.toIntExact(x.size(2) * x.size(3)));
  }

  /** n examples of C channels of H·W values; count = n·H·W values per channel. */
  private record Geometry(int examples, int channels, int plane, double count) {
    Geometry(int examples, int channels, int plane) {
      this(examples, channels, plane, (double) examples * plane);
    }
  }
}
