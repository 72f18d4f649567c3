package ai.mesm.model.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime of {@link TransformerEncoder}: the computation its SameDiff definition
 * ({@link TransformerEncoder#defineLayer}) describes, forward and backward written out: the matrix
 * products by ND4J's GEMM in the network's type (the wide feed-forward layer stays in ND4J), the
 * attention ({@link SelfAttention}), LayerNorm and the element-wise work in Java doubles. As a
 * SameDiff graph the encoders were ~40 % of a training step at the tests' widths.
 */
final class TransformerEncoderLayer extends HandWrittenSequenceLayer {
  TransformerEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private TransformerEncoder encoder() {
    return (TransformerEncoder) layerConf();
  }

  @Override
  Pass forward(boolean training) {
    return new EncoderPass(training);
  }

  /** One forward pass over the current input, with what its backward pass needs. */
  private final class EncoderPass implements Pass {
    final int mb;
    final int dim;
    final int steps;
    final int rows;
    final int feedForward;
    final int layers;
    final RowMatrices matrices = new RowMatrices(dataType);
    /** Per utterance and key step (CLS first): 0, or −1e9 for a padded step. */
    final double[] keyBias;
    final SelfAttention attention;
    final Layer[] state;
    final double[] top;
    private double[] inputGradient;

    EncoderPass(boolean training) {
      TransformerEncoder e = encoder();
      mb = (int) input.size(0);
      dim = e.getDim();
      steps = (int) input.size(2) + 1;
      rows = mb * steps;
      feedForward = e.getFeedForward();
      layers = e.getLayers();
      double[] x = RowMatrices.values(input);
      double[] mask = maskArray == null ? null : RowMatrices.values(maskArray);
      keyBias = new double[mb * steps];
      double[] h = new double[rows * dim];
      double[] cls = param("cls");
      for (int b = 0; b < mb; b++) {
        System.arraycopy(cls, 0, h, b * steps * dim, dim);
        for (int t = 1; t < steps; t++) {
          if (mask != null && mask[b * (steps - 1) + t - 1] == 0) keyBias[b * steps + t] = TransformerEncoder.MASKED;
          for (int c = 0; c < dim; c++) h[(b * steps + t) * dim + c] = x[(b * dim + c) * (steps - 1) + t - 1];
        }
      }
      attention = SelfAttention.uniform(dim, e.getHeads(), mb, steps, keyBias, matrices);
      Map<String, INDArray> masks = training && e.getDropout() > 0
          ? e.dropoutMasks(input.shape(), true, dataType) : Map.of();
      state = new Layer[layers];
      for (int l = 0; l < layers; l++) {
        state[l] = new Layer(l, h, masks);
        h = state[l].output;
      }
      top = h;
    }

    @Override
    public double[] output() {
      double[] out = new double[mb * dim];
      for (int b = 0; b < mb; b++) System.arraycopy(top, b * steps * dim, out, b * dim, dim);
      return out;
    }

    @Override
    public double[] inputGradient() {
      return inputGradient;
    }

    @Override
    public Map<String, double[]> backward(double[] dOut) {
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
      return m == null ? null : RowMatrices.values(m);
    }

    /** One encoder layer: self-attention and feed-forward blocks, each residual and post-LayerNorm. */
    private final class Layer {
      final int l;
      final INDArray in;
      final INDArray inW;
      final INDArray outW;
      final INDArray w1;
      final INDArray w2;
      final double[] ln1g;
      final double[] ln2g;
      final double[] qkv;
      final double[] weights;
      final double[] dropAttention;
      final double[] dropResidual1;
      final INDArray dropHidden;
      final double[] dropResidual2;
      final INDArray context;
      final LayerNormRows norm1;
      final INDArray h1;
      /** The feed-forward block's hidden activations after ReLU and dropout, [rows × feedForward]. */
      final INDArray hidden;
      final LayerNormRows norm2;
      final double[] output;

      Layer(int l, double[] input, Map<String, INDArray> masks) {
        this.l = l;
        in = matrices.matrix(input, rows, dim);
        inW = weight("inW");
        outW = weight("outW");
        w1 = weight("W1");
        w2 = weight("W2");
        ln1g = param("ln1g");
        ln2g = param("ln2g");
        dropAttention = dropout(masks, l, 0);
        dropResidual1 = dropout(masks, l, 1);
        dropHidden = masks.get(TransformerEncoder.key(l, TransformerEncoder.DROPOUTS[2]));
        dropResidual2 = dropout(masks, l, 3);

        qkv = matrices.product(in, false, inW, false);
        RowMatrices.addRows(qkv, param("inB"), rows, 3 * dim);
        weights = attention.weights(qkv);
        context = matrices.matrix(attention.attend(qkv, weights, dropAttention), rows, dim);
        double[] z1 = matrices.product(context, false, outW, false);
        RowMatrices.addRows(z1, param("outB"), rows, dim);
        residual(z1, input, dropResidual1);
        norm1 = new LayerNormRows(z1, rows, dim, TransformerEncoder.LAYER_NORM_EPS);
        double[] normed1 = norm1.apply(ln1g, param("ln1b"));
        h1 = matrices.matrix(normed1, rows, dim);

        // The feed-forward block's wide hidden layer stays in ND4J: only [rows × dim] comes back.
        INDArray activated = Transforms.relu(Nd4j.gemm(h1, w1, false, false).addiRowVector(weight("b1")), false);
        hidden = dropHidden == null ? activated : activated.muli(dropHidden.castTo(dataType));
        double[] z2 = matrices.product(hidden, false, w2, false);
        RowMatrices.addRows(z2, param("b2"), rows, dim);
        residual(z2, normed1, dropResidual2);
        norm2 = new LayerNormRows(z2, rows, dim, TransformerEncoder.LAYER_NORM_EPS);
        output = norm2.apply(ln2g, param("ln2b"));
      }

      private INDArray weight(String name) {
        return TransformerEncoderLayer.this.weight(TransformerEncoder.key(l, name));
      }

      private double[] param(String name) {
        return TransformerEncoderLayer.this.param(TransformerEncoder.key(l, name));
      }

      /** branch ← base + branch ∘ drop. */
      private void residual(double[] branch, double[] base, double[] drop) {
        for (int i = 0; i < branch.length; i++) branch[i] = base[i] + (drop == null ? branch[i] : branch[i] * drop[i]);
      }

      /** The gradient into this layer's input from the gradient of its output; parameter gradients into grads. */
      double[] backward(double[] dOut, Map<String, double[]> grads) {
        double[] dLn2g = new double[dim];
        double[] dLn2b = new double[dim];
        double[] dz2 = norm2.backward(dOut, ln2g, dLn2g, dLn2b);
        INDArray dBranch2 = matrices.matrix(dropResidual2 == null ? dz2 : times(dz2, dropResidual2), rows, dim);
        double[] dW2 = matrices.product(hidden, true, dBranch2, false);
        double[] db2 = RowMatrices.sumRows(RowMatrices.values(dBranch2), rows, dim);
        // ReLU's gradient where the (dropped-out) activation is positive: a dropped unit passes none anyway.
        INDArray dPre = Nd4j.gemm(dBranch2, w2, false, true).muli(Transforms.step(hidden, true));
        if (dropHidden != null) dPre.muli(dropHidden.castTo(dataType));
        double[] dW1 = matrices.product(h1, true, dPre, false);
        double[] db1 = RowMatrices.values(dPre.sum(0));
        double[] dh1 = matrices.product(dPre, false, w1, true);
        RowMatrices.add(dh1, dz2);

        double[] dLn1g = new double[dim];
        double[] dLn1b = new double[dim];
        double[] dz1 = norm1.backward(dh1, ln1g, dLn1g, dLn1b);
        double[] dBranch1 = dropResidual1 == null ? dz1 : times(dz1, dropResidual1);
        INDArray dBranch1M = matrices.matrix(dBranch1, rows, dim);
        double[] dOutW = matrices.product(context, true, dBranch1M, false);
        double[] dOutB = RowMatrices.sumRows(dBranch1, rows, dim);
        double[] dContext = matrices.product(dBranch1M, false, outW, true);
        double[] dQkv = attention.backward(qkv, weights, dropAttention, dContext);
        INDArray dQkvM = matrices.matrix(dQkv, rows, 3 * dim);
        double[] dInW = matrices.product(in, true, dQkvM, false);
        double[] dInB = RowMatrices.sumRows(dQkv, rows, 3 * dim);
        double[] dIn = matrices.product(dQkvM, false, inW, true);
        RowMatrices.add(dIn, dz1);

        Object[][] named = {{"inW", dInW}, {"inB", dInB}, {"outW", dOutW}, {"outB", dOutB}, {"ln1g", dLn1g},
            {"ln1b", dLn1b}, {"W1", dW1}, {"b1", db1}, {"W2", dW2}, {"b2", db2}, {"ln2g", dLn2g}, {"ln2b", dLn2b}};
        for (Object[] n : named) grads.put(TransformerEncoder.key(l, (String) n[0]), (double[]) n[1]);
        return dIn;
      }
    }
  }

  private static double[] times(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] * b[i];
    return out;
  }
}
