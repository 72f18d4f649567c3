package ai.mesm.model.layers;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime of {@link AlbertEncoder}: the computation its SameDiff definition
 * ({@link AlbertEncoder#defineLayer}) describes, forward and backward written out as
 * {@link TransformerEncoderLayer} does, over an utterance's real tokens only. The graph feeds
 * every text at the model's fixed token length (50 or 100) while a sentence has a dozen or two;
 * a padded position is masked as a key, so nothing of it reaches a real position or the [CLS]
 * output, and its rows need not be computed at all: the same output and gradients with a fraction
 * of the work (as SameDiff ran it, one training pass cost ~270 ms at 8 × 100 tokens on the tiny
 * test checkpoint). A text whose first position is masked keeps all its positions, padded keys
 * masked, as the definition computes it.
 */
final class AlbertEncoderLayer extends HandWrittenSequenceLayer {
  /** The attention's projections, in the order of the q|k|v columns. */
  private static final String[] QKV = {"q", "k", "v"};

  AlbertEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  Pass forward(boolean training) {
    return new AlbertPass((AlbertEncoder) layerConf());
  }

  private final class AlbertPass implements Pass {
    final int mb;
    final int tokens;
    final int embedding;
    final int hidden;
    final double eps;
    final Activation activation;
    final RowMatrices matrices = new RowMatrices(dataType);
    /** Per utterance its first computed row and their number; per computed row its position in the text. */
    final int[] offsets;
    final int[] lengths;
    final int[] position;
    final int rows;
    final SelfAttention attention;
    final LayerNormRows embeddingNorm;
    final INDArray mapIn;
    /** q|k|v weights side by side, [hidden × 3·hidden], and their biases. */
    final INDArray qkvW;
    final double[] qkvB;
    final Block[] blocks;
    final Map<String, double[]> grads = new HashMap<>();
    /** The parameters, read once per pass: every layer pass uses the same ones. */
    private final Map<String, INDArray> weights = new HashMap<>();
    private final Map<String, double[]> values = new HashMap<>();
    private double[] inputGradient;

    AlbertPass(AlbertEncoder e) {
      mb = (int) input.size(0);
      tokens = (int) input.size(2);
      embedding = e.getEmbeddingSize();
      hidden = e.getHiddenSize();
      eps = e.getLayerNormEps();
      activation = Activation.of(e.getActivation());
      double[] mask = maskArray == null ? null : RowMatrices.values(maskArray);
      offsets = new int[mb];
      lengths = new int[mb];
      int[] kept = new int[mb * tokens];
      double[] keyBias = null;
      int n = 0;
      for (int b = 0; b < mb; b++) {
        offsets[b] = n;
        boolean whole = mask != null && mask[b * tokens] == 0;
        for (int t = 0; t < tokens; t++) {
          boolean real = mask == null || mask[b * tokens + t] != 0;
          if (!real && !whole) continue;
          if (!real) {
            if (keyBias == null) keyBias = new double[mb * tokens];
            keyBias[n] = TransformerEncoder.MASKED;
          }
          kept[n++] = t;
        }
        lengths[b] = n - offsets[b];
      }
      rows = n;
      position = java.util.Arrays.copyOf(kept, rows);
      attention = new SelfAttention(hidden, e.getHeads(), offsets, lengths, keyBias, true,
          matrices);

      double[] x = RowMatrices.values(input);
      double[] pos = value("pos");
      double[] type = value("type");
      double[] embedded = new double[rows * embedding];
      for (int b = 0; b < mb; b++) {
        for (int r = offsets[b]; r < offsets[b] + lengths[b]; r++) {
          int t = position[r];
          for (int c = 0; c < embedding; c++) {
            embedded[r * embedding + c] = x[(b * embedding + c) * tokens + t] + pos[t * embedding + c] + type[c];
          }
        }
      }
      embeddingNorm = new LayerNormRows(embedded, rows, embedding, eps);
      mapIn = matrices.matrix(embeddingNorm.apply(value("embLnG"), value("embLnB")), rows, embedding);
      double[] h = matrices.product(mapIn, false, shared("mapW"), false);
      RowMatrices.addRows(h, value("mapB"), rows, hidden);

      qkvW = Nd4j.concat(1, shared("qW"), shared("kW"), shared("vW"));
      qkvB = new double[3 * hidden];
      for (int part = 0; part < 3; part++) {
        System.arraycopy(value(QKV[part] + "B"), 0, qkvB, part * hidden, hidden);
      }
      blocks = new Block[e.getLayers()];
      for (int l = 0; l < blocks.length; l++) {
        blocks[l] = new Block(h);
        h = blocks[l].output;
      }
    }

    @Override
    public double[] output() {
      double[] top = blocks[blocks.length - 1].output;
      double[] out = new double[mb * hidden];
      // Position 0, [CLS], is each text's first computed row.
      for (int b = 0; b < mb; b++) System.arraycopy(top, offsets[b] * hidden, out, b * hidden, hidden);
      return out;
    }

    @Override
    public Map<String, double[]> backward(double[] dOut) {
      double[] dh = new double[rows * hidden];
      for (int b = 0; b < mb; b++) System.arraycopy(dOut, b * hidden, dh, offsets[b] * hidden, hidden);
      for (int l = blocks.length - 1; l >= 0; l--) dh = blocks[l].backward(dh);

      INDArray dH = matrices.matrix(dh, rows, hidden);
      add("mapW", matrices.product(mapIn, true, dH, false));
      add("mapB", RowMatrices.sumRows(dh, rows, hidden));
      double[] dLnG = new double[embedding];
      double[] dLnB = new double[embedding];
      double[] dEmbedded = embeddingNorm.backward(matrices.product(dH, false, shared("mapW"), true), value("embLnG"),
          dLnG, dLnB);
      add("embLnG", dLnG);
      add("embLnB", dLnB);
      double[] dPos = new double[(int) paramTable.get("pos").length()];
      double[] dType = new double[(int) paramTable.get("type").length()];
      inputGradient = new double[mb * embedding * tokens];
      for (int b = 0; b < mb; b++) {
        for (int r = offsets[b]; r < offsets[b] + lengths[b]; r++) {
          int t = position[r];
          for (int c = 0; c < embedding; c++) {
            double d = dEmbedded[r * embedding + c];
            inputGradient[(b * embedding + c) * tokens + t] = d;
            dPos[t * embedding + c] += d;
            dType[c] += d;
          }
        }
      }
      add("pos", dPos);
      add("type", dType);
      return grads;
    }

    @Override
    public double[] inputGradient() {
      return inputGradient;
    }

    private INDArray shared(String name) {
      return weights.computeIfAbsent(name, AlbertEncoderLayer.this::weight);
    }

    private double[] value(String name) {
      return values.computeIfAbsent(name, AlbertEncoderLayer.this::param);
    }

    /** A residual branch's error at its LayerNorm's input (what the residual passes on), as doubles and as a matrix. */
    private record Branch(double[] values, INDArray matrix) {}

    /**
     * Back through a post-LayerNorm block's norm ({@code ln}G/B) and the linear layer that ends its
     * branch ({@code linear}W/B, which read {@code linearInput}): their parameter gradients added up.
     */
    private Branch throughNormAndLinear(LayerNormRows norm, double[] dOut, String ln, INDArray linearInput, String linear) {
      double[] dGain = new double[hidden];
      double[] dBias = new double[hidden];
      double[] dz = norm.backward(dOut, value(ln + "G"), dGain, dBias);
      add(ln + "G", dGain);
      add(ln + "B", dBias);
      INDArray matrix = matrices.matrix(dz, rows, hidden);
      add(linear + "W", matrices.product(linearInput, true, matrix, false));
      add(linear + "B", RowMatrices.sumRows(dz, rows, hidden));
      return new Branch(dz, matrix);
    }

    /** Adds into parameter {@code name}'s gradient: the layers share their weights, so their gradients add up. */
    private void add(String name, double[] gradient) {
      double[] sum = grads.get(name);
      if (sum == null) {
        grads.put(name, gradient);
      } else {
        RowMatrices.add(sum, gradient);
      }
    }

    /** One pass of the shared layer: attention and feed-forward blocks, each residual and post-LayerNorm. */
    private final class Block {
      final INDArray in;
      final double[] qkv;
      final double[] weights;
      final INDArray context;
      final LayerNormRows norm1;
      final INDArray h1;
      /** The feed-forward block's input to its activation, and the activation, [rows × intermediate]. */
      final INDArray preActivation;
      final INDArray activated;
      final LayerNormRows norm2;
      final double[] output;

      Block(double[] input) {
        in = matrices.matrix(input, rows, hidden);
        qkv = matrices.product(in, false, qkvW, false);
        RowMatrices.addRows(qkv, qkvB, rows, 3 * hidden);
        weights = attention.weights(qkv);
        context = matrices.matrix(attention.attend(qkv, weights, null), rows, hidden);
        double[] z1 = matrices.product(context, false, shared("oW"), false);
        RowMatrices.addRows(z1, value("oB"), rows, hidden);
        RowMatrices.add(z1, input);
        norm1 = new LayerNormRows(z1, rows, hidden, eps);
        double[] normed1 = norm1.apply(value("attLnG"), value("attLnB"));
        h1 = matrices.matrix(normed1, rows, hidden);
        // The wide intermediate layer stays in ND4J: only [rows × hidden] comes back.
        preActivation = Nd4j.gemm(h1, shared("ffnW"), false, false).addiRowVector(shared("ffnB"));
        activated = activation.apply(preActivation);
        double[] z2 = matrices.product(activated, false, shared("outW"), false);
        RowMatrices.addRows(z2, value("outB"), rows, hidden);
        RowMatrices.add(z2, normed1);
        norm2 = new LayerNormRows(z2, rows, hidden, eps);
        output = norm2.apply(value("ffnLnG"), value("ffnLnB"));
      }

      /** The gradient into this pass's input from that of its output; parameter gradients added up. */
      double[] backward(double[] dOut) {
        Branch ffn = throughNormAndLinear(norm2, dOut, "ffnLn", activated, "out");
        INDArray dPre = activation.backward(preActivation, Nd4j.gemm(ffn.matrix, shared("outW"), false, true));
        add("ffnW", matrices.product(h1, true, dPre, false));
        add("ffnB", RowMatrices.values(dPre.sum(0)));
        double[] dh1 = matrices.product(dPre, false, shared("ffnW"), true);
        RowMatrices.add(dh1, ffn.values);

        Branch att = throughNormAndLinear(norm1, dh1, "attLn", context, "o");
        double[] dContext = matrices.product(att.matrix, false, shared("oW"), true);
        double[] dQkv = attention.backward(qkv, weights, null, dContext);
        INDArray dQkvM = matrices.matrix(dQkv, rows, 3 * hidden);
        double[] dQkvW = matrices.product(in, true, dQkvM, false);
        double[] dQkvB = RowMatrices.sumRows(dQkv, rows, 3 * hidden);
        for (int part = 0; part < 3; part++) {
          double[] dW = new double[hidden * hidden];
          for (int r = 0; r < hidden; r++) {
            System.arraycopy(dQkvW, r * 3 * hidden + part * hidden, dW, r * hidden, hidden);
          }
          String name = QKV[part];
          add(name + "W", dW);
          add(name + "B", java.util.Arrays.copyOfRange(dQkvB, part * hidden, (part + 1) * hidden));
        }
        double[] dIn = matrices.product(dQkvM, false, qkvW, true);
        RowMatrices.add(dIn, att.values);
        return dIn;
      }
    }
  }

  /** ALBERT's hidden_act on ND4J arrays of the network's type: the values and, for the backward pass, the gradient. */
  private enum Activation {
    RELU, GELU, GELU_TANH;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double CUBIC = 0.044715;

    /** As {@link AlbertEncoder}'s definition reads the name: relu, gelu (exact), any other the tanh approximation. */
    static Activation of(String name) {
      return switch (name) {
        case "relu" -> RELU;
        case "gelu" -> GELU;
        default -> GELU_TANH;
      };
    }

    INDArray apply(INDArray x) {
      return switch (this) {
        case RELU -> Transforms.relu(x, true);
        // 0.5·x·(1 + erf(x/√2))
        case GELU -> erf(x.mul(Math.sqrt(0.5))).addi(1).muli(x).muli(0.5);
        // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        case GELU_TANH -> Transforms.tanh(inner(x), false).addi(1).muli(x).muli(0.5);
      };
    }

    /** dL/dx from dL/dy = {@code dY} at the activation's input {@code x}. */
    INDArray backward(INDArray x, INDArray dY) {
      return switch (this) {
        case RELU -> dY.muli(Transforms.step(x, true));
        // 0.5·(1 + erf(x/√2)) + x·φ(x), φ the standard normal density
        case GELU -> {
          INDArray density = Transforms.exp(x.mul(x).muli(-0.5), false).muli(1 / Math.sqrt(2 * Math.PI)).muli(x);
          yield dY.muli(erf(x.mul(Math.sqrt(0.5))).addi(1).muli(0.5).addi(density));
        }
        // 0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), t = tanh(√(2/π)·(x + 0.044715·x³))
        case GELU_TANH -> {
          INDArray t = Transforms.tanh(inner(x), false);
          INDArray slope = x.mul(x).muli(3 * CUBIC).addi(1).muli(SQRT_2_OVER_PI)
              .muli(t.mul(t).rsubi(1)).muli(x).muli(0.5);
          yield dY.muli(t.addi(1).muli(0.5).addi(slope));
        }
      };
    }

    private static INDArray inner(INDArray x) {
      return x.mul(x).muli(x).muli(CUBIC).addi(x).muli(SQRT_2_OVER_PI);
    }

    private static INDArray erf(INDArray x) {
      return Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Erf(x, x));
    }
  }
}
