package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link TransformerEncoder}: the computation its SameDiff definition
 * ({@link TransformerEncoder#defineLayer}) describes, forward and backward written out in Java
 * arrays (double arithmetic, whatever the network's type). Run as a SameDiff graph, every call paid
 * SameDiff's per-execution bookkeeping (dependency tracking, variable lookups by name, one op call
 * per small tensor operation): at the tests' widths that was ~30 % of a training step. The
 * DL4J plumbing (parameter and gradient views, masks, JSON) stays the SameDiff layer's.
 */
final class TransformerEncoderLayer extends SameDiffLayer {
  /** The last training forward pass, which the backward pass differentiates. */
  private Pass last;

  TransformerEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private TransformerEncoder encoder() {
    return (TransformerEncoder) layerConf();
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    Pass pass = new Pass(training);
    last = training ? pass : null;
    INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, dataType, new long[] {pass.mb, pass.dim}, 'c');
    return out.assign(Nd4j.createFromArray(pass.output()).reshape(pass.mb, pass.dim));
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    Pass pass = last != null ? last : new Pass(false);
    Map<String, double[]> grads = pass.backward(doubles(epsilon));
    Gradient g = new DefaultGradient();
    for (String name : paramTable.keySet()) {
      INDArray view = gradTable.get(name);
      view.assign(Nd4j.createFromArray(grads.get(name)).reshape(view.shape()));
      g.gradientForVariable().put(name, view);
    }
    INDArray dx = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
    dx.assign(Nd4j.createFromArray(pass.inputGradient).reshape(input.shape()));
    return new Pair<>(g, dx);
  }

  static double[] doubles(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  /** One forward pass over the current input, with what its backward pass needs. */
  private final class Pass {
    final int mb;
    final int dim;
    final int steps;
    final int rows;
    final int heads;
    final int headSize;
    final int feedForward;
    final int layers;
    final double scale;
    /** Per utterance and key step (CLS first): 0, or −1e9 for a padded step. */
    final double[] keyBias;
    final Layer[] state;
    final double[] top;
    double[] inputGradient;

    Pass(boolean training) {
      TransformerEncoder e = encoder();
      mb = (int) input.size(0);
      dim = e.getDim();
      steps = (int) input.size(2) + 1;
      rows = mb * steps;
      heads = e.getHeads();
      headSize = dim / heads;
      feedForward = e.getFeedForward();
      layers = e.getLayers();
      scale = 1 / Math.sqrt(headSize);
      double[] x = doubles(input);
      double[] mask = maskArray == null ? null : doubles(maskArray);
      keyBias = new double[mb * steps];
      double[] h = new double[rows * dim];
      double[] cls = doubles(paramTable.get("cls"));
      for (int b = 0; b < mb; b++) {
        System.arraycopy(cls, 0, h, b * steps * dim, dim);
        for (int t = 1; t < steps; t++) {
          if (mask != null && mask[b * (steps - 1) + t - 1] == 0) keyBias[b * steps + t] = TransformerEncoder.MASKED;
          for (int c = 0; c < dim; c++) h[(b * steps + t) * dim + c] = x[(b * dim + c) * (steps - 1) + t - 1];
        }
      }
      Map<String, INDArray> masks = training && e.getDropout() > 0
          ? e.dropoutMasks(input.shape(), true, dataType) : Map.of();
      state = new Layer[layers];
      for (int l = 0; l < layers; l++) {
        state[l] = new Layer(l, h, masks);
        h = state[l].output;
      }
      top = h;
    }

    double[] output() {
      double[] out = new double[mb * dim];
      for (int b = 0; b < mb; b++) System.arraycopy(top, b * steps * dim, out, b * dim, dim);
      return out;
    }

    /** Parameter gradients by name; the input's gradient into {@link #inputGradient}. */
    Map<String, double[]> backward(double[] dOut) {
      Map<String, double[]> grads = new java.util.HashMap<>();
      double[] dh = new double[rows * dim];
      for (int b = 0; b < mb; b++) System.arraycopy(dOut, b * dim, dh, b * steps * dim, dim);
      for (int l = layers - 1; l >= 0; l--) dh = state[l].backward(dh, grads);
      double[] dCls = new double[dim];
      inputGradient = new double[mb * dim * (steps - 1)];
      for (int b = 0; b < mb; b++) {
        for (int c = 0; c < dim; c++) dCls[c] += dh[b * steps * dim + c];
        for (int t = 1; t < steps; t++) {
          for (int c = 0; c < dim; c++) inputGradient[(b * dim + c) * (steps - 1) + t - 1] = dh[(b * steps + t) * dim + c];
        }
      }
      grads.put("cls", dCls);
      return grads;
    }

    /** Dropout mask {@code i} of layer {@code l} as doubles, or null where nothing is dropped. */
    private double[] dropout(Map<String, INDArray> masks, int l, int i) {
      INDArray m = masks.get(TransformerEncoder.key(l, TransformerEncoder.DROPOUTS[i]));
      return m == null ? null : doubles(m);
    }

    /** One encoder layer: self-attention and feed-forward blocks, each residual and post-LayerNorm. */
    private final class Layer {
      final int l;
      final double[] in;
      final double[] inW;
      final double[] outW;
      final double[] w1;
      final double[] w2;
      final double[] ln1g;
      final double[] ln2g;
      final double[] qkv;
      final double[] weights;
      final double[] dropAttention;
      final double[] dropResidual1;
      final double[] dropHidden;
      final double[] dropResidual2;
      final double[] context;
      final LayerNormRows norm1;
      final double[] h1;
      final double[] preActivation;
      final double[] hidden;
      final LayerNormRows norm2;
      final double[] output;

      Layer(int l, double[] in, Map<String, INDArray> masks) {
        this.l = l;
        this.in = in;
        inW = param("inW");
        outW = param("outW");
        w1 = param("W1");
        w2 = param("W2");
        ln1g = param("ln1g");
        ln2g = param("ln2g");
        dropAttention = dropout(masks, l, 0);
        dropResidual1 = dropout(masks, l, 1);
        dropHidden = dropout(masks, l, 2);
        dropResidual2 = dropout(masks, l, 3);

        qkv = new double[rows * 3 * dim];
        RowMatrices.multiply(in, inW, qkv, rows, dim, 3 * dim, false);
        RowMatrices.addRows(qkv, param("inB"), rows, 3 * dim);
        weights = new double[mb * heads * steps * steps];
        context = new double[rows * dim];
        attend();
        double[] z1 = new double[rows * dim];
        RowMatrices.multiply(context, outW, z1, rows, dim, dim, false);
        RowMatrices.addRows(z1, param("outB"), rows, dim);
        residual(z1, in, dropResidual1);
        norm1 = new LayerNormRows(z1, rows, dim);
        h1 = norm1.apply(ln1g, param("ln1b"));

        preActivation = new double[rows * feedForward];
        RowMatrices.multiply(h1, w1, preActivation, rows, dim, feedForward, false);
        RowMatrices.addRows(preActivation, param("b1"), rows, feedForward);
        hidden = new double[rows * feedForward];
        for (int i = 0; i < hidden.length; i++) {
          double r = preActivation[i] > 0 ? preActivation[i] : 0;
          hidden[i] = dropHidden == null ? r : r * dropHidden[i];
        }
        double[] z2 = new double[rows * dim];
        RowMatrices.multiply(hidden, w2, z2, rows, feedForward, dim, false);
        RowMatrices.addRows(z2, param("b2"), rows, dim);
        residual(z2, h1, dropResidual2);
        norm2 = new LayerNormRows(z2, rows, dim);
        output = norm2.apply(ln2g, param("ln2b"));
      }

      private double[] param(String name) {
        return doubles(paramTable.get(TransformerEncoder.key(l, name)));
      }

      /** branch ← base + branch ∘ drop. */
      private void residual(double[] branch, double[] base, double[] drop) {
        for (int i = 0; i < branch.length; i++) branch[i] = base[i] + (drop == null ? branch[i] : branch[i] * drop[i]);
      }

      /** Softmax(q·kᵀ/√d + key bias) per utterance and head, dropped out, times v: into {@link #context}. */
      private void attend() {
        double[] scores = new double[steps];
        for (int b = 0; b < mb; b++) {
          for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < steps; i++) {
              int q = (b * steps + i) * 3 * dim + hd * headSize;
              double max = Double.NEGATIVE_INFINITY;
              for (int j = 0; j < steps; j++) {
                int k = (b * steps + j) * 3 * dim + dim + hd * headSize;
                double s = 0;
                for (int c = 0; c < headSize; c++) s += qkv[q + c] * scale * qkv[k + c];
                scores[j] = s + keyBias[b * steps + j];
                max = Math.max(max, scores[j]);
              }
              double sum = 0;
              for (int j = 0; j < steps; j++) {
                scores[j] = Math.exp(scores[j] - max);
                sum += scores[j];
              }
              int w = ((b * heads + hd) * steps + i) * steps;
              int out = (b * steps + i) * dim + hd * headSize;
              for (int j = 0; j < steps; j++) {
                weights[w + j] = scores[j] / sum;
                double p = dropAttention == null ? weights[w + j] : weights[w + j] * dropAttention[w + j];
                if (p == 0) continue;
                int v = (b * steps + j) * 3 * dim + 2 * dim + hd * headSize;
                for (int c = 0; c < headSize; c++) context[out + c] += p * qkv[v + c];
              }
            }
          }
        }
      }

      /** The gradient into this layer's input from the gradient of its output; parameter gradients into grads. */
      double[] backward(double[] dOut, Map<String, double[]> grads) {
        double[] dLn2g = new double[dim];
        double[] dLn2b = new double[dim];
        double[] dz2 = norm2.backward(dOut, ln2g, dLn2g, dLn2b);
        double[] dBranch2 = dropResidual2 == null ? dz2 : times(dz2, dropResidual2);
        double[] dW2 = new double[feedForward * dim];
        RowMatrices.multiplyTransposedLeft(hidden, dBranch2, dW2, rows, feedForward, dim);
        double[] db2 = new double[dim];
        RowMatrices.sumRows(dBranch2, db2, rows, dim);
        double[] dPre = new double[rows * feedForward];
        RowMatrices.multiplyTransposedRight(dBranch2, w2, dPre, rows, dim, feedForward, false);
        for (int i = 0; i < dPre.length; i++) {
          dPre[i] = preActivation[i] > 0 ? (dropHidden == null ? dPre[i] : dPre[i] * dropHidden[i]) : 0;
        }
        double[] dW1 = new double[dim * feedForward];
        RowMatrices.multiplyTransposedLeft(h1, dPre, dW1, rows, dim, feedForward);
        double[] db1 = new double[feedForward];
        RowMatrices.sumRows(dPre, db1, rows, feedForward);
        double[] dh1 = dz2.clone();
        RowMatrices.multiplyTransposedRight(dPre, w1, dh1, rows, feedForward, dim, true);

        double[] dLn1g = new double[dim];
        double[] dLn1b = new double[dim];
        double[] dz1 = norm1.backward(dh1, ln1g, dLn1g, dLn1b);
        double[] dBranch1 = dropResidual1 == null ? dz1 : times(dz1, dropResidual1);
        double[] dOutW = new double[dim * dim];
        RowMatrices.multiplyTransposedLeft(context, dBranch1, dOutW, rows, dim, dim);
        double[] dOutB = new double[dim];
        RowMatrices.sumRows(dBranch1, dOutB, rows, dim);
        double[] dContext = new double[rows * dim];
        RowMatrices.multiplyTransposedRight(dBranch1, outW, dContext, rows, dim, dim, false);
        double[] dQkv = attendBackward(dContext);
        double[] dInW = new double[dim * 3 * dim];
        RowMatrices.multiplyTransposedLeft(in, dQkv, dInW, rows, dim, 3 * dim);
        double[] dInB = new double[3 * dim];
        RowMatrices.sumRows(dQkv, dInB, rows, 3 * dim);
        double[] dIn = dz1.clone();
        RowMatrices.multiplyTransposedRight(dQkv, inW, dIn, rows, 3 * dim, dim, true);

        Object[][] named = {{"inW", dInW}, {"inB", dInB}, {"outW", dOutW}, {"outB", dOutB}, {"ln1g", dLn1g},
            {"ln1b", dLn1b}, {"W1", dW1}, {"b1", db1}, {"W2", dW2}, {"b2", db2}, {"ln2g", dLn2g}, {"ln2b", dLn2b}};
        for (Object[] n : named) grads.put(TransformerEncoder.key(l, (String) n[0]), (double[]) n[1]);
        return dIn;
      }

      /** Through the attention: the gradient of q|k|v from that of the context. */
      private double[] attendBackward(double[] dContext) {
        double[] dQkv = new double[rows * 3 * dim];
        double[] dWeights = new double[steps];
        for (int b = 0; b < mb; b++) {
          for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < steps; i++) {
              int w = ((b * heads + hd) * steps + i) * steps;
              int dc = (b * steps + i) * dim + hd * headSize;
              double dot = 0;
              for (int j = 0; j < steps; j++) {
                int v = (b * steps + j) * 3 * dim + 2 * dim + hd * headSize;
                double drop = dropAttention == null ? 1 : dropAttention[w + j];
                double s = 0;
                for (int c = 0; c < headSize; c++) {
                  s += dContext[dc + c] * qkv[v + c];
                  dQkv[v + c] += weights[w + j] * drop * dContext[dc + c];
                }
                dWeights[j] = s * drop;
                dot += weights[w + j] * dWeights[j];
              }
              int q = (b * steps + i) * 3 * dim + hd * headSize;
              for (int j = 0; j < steps; j++) {
                double dScore = weights[w + j] * (dWeights[j] - dot) * scale;
                if (dScore == 0) continue;
                int k = (b * steps + j) * 3 * dim + dim + hd * headSize;
                for (int c = 0; c < headSize; c++) {
                  dQkv[q + c] += dScore * qkv[k + c];
                  dQkv[k + c] += dScore * qkv[q + c];
                }
              }
            }
          }
        }
        return dQkv;
      }
    }
  }

  private static double[] times(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] * b[i];
    return out;
  }
}
