package ai.mesm.model.layers;

import java.util.Arrays;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-head scaled dot-product self-attention of the hand-written encoders, forward and
 * backward, over rows of q|k|v [rows × 3·dim] grouped in segments (one per utterance): a row
 * attends to the rows of its own segment. Segments may differ in length (ALBERT computes only an
 * utterance's real tokens) and may carry a score bias per key row (−1e9 for a padded step that
 * is kept, as the Transformer encoder keeps its padded steps). The weights are laid out
 * [segment, head, query, key] with every segment padded to the longest ({@link #span}), the
 * layout of the encoder's attention dropout mask; padding keys get weight 0.
 */
final class SelfAttention {
  private final int dim;
  private final int heads;
  private final int headSize;
  private final double scale;
  private final int[] offsets;
  private final int[] lengths;
  /** The longest segment: the stride of the weights. */
  private final int span;
  private final double[] keyBias;
  private final RowMatrices matrices;

  /**
   * @param offsets each segment's first row
   * @param lengths each segment's rows
   * @param keyBias a score bias per row as a key (0, or −1e9 to mask it), or null for none
   */
  SelfAttention(int dim, int heads, int[] offsets, int[] lengths, double[] keyBias, RowMatrices matrices) {
    this.dim = dim;
    this.heads = heads;
    this.headSize = dim / heads;
    this.scale = 1 / Math.sqrt(headSize);
    this.offsets = offsets;
    this.lengths = lengths;
    this.span = Arrays.stream(lengths).max().orElse(0);
    this.keyBias = keyBias;
    this.matrices = matrices;
  }

  /** Segments of {@code length} rows each, one after another. */
  static SelfAttention uniform(int dim, int heads, int segments, int length, double[] keyBias, RowMatrices matrices) {
    int[] offsets = new int[segments];
    int[] lengths = new int[segments];
    for (int s = 0; s < segments; s++) {
      offsets[s] = s * length;
      lengths[s] = length;
    }
    return new SelfAttention(dim, heads, offsets, lengths, keyBias, matrices);
  }

  /** Softmax(q·kᵀ/√d + key bias) per segment, head and query row: [segments·heads·span × span]. */
  double[] weights(double[] qkv) {
    double[] scores = new double[offsets.length * heads * span * span];
    double[] keysT = new double[headSize * span];
    for (int s = 0; s < offsets.length; s++) {
      int n = lengths[s];
      for (int hd = 0; hd < heads; hd++) {
        gather(qkv, s, hd, 1, keysT, true);
        int w0 = (s * heads + hd) * span * span;
        for (int i = 0; i < n; i++) {
          int q = (offsets[s] + i) * 3 * dim + hd * headSize;
          int w = w0 + i * span;
          // Inner loops along a row (of kᵀ here, of Pᵀ in attend) so that they vectorise.
          for (int c = 0; c < headSize; c++) {
            double qc = qkv[q + c] * scale;
            for (int j = 0; j < n; j++) scores[w + j] += qc * keysT[c * n + j];
          }
          if (keyBias != null) {
            for (int j = 0; j < n; j++) scores[w + j] += keyBias[offsets[s] + j];
          }
          Arrays.fill(scores, w + n, w + span, TransformerEncoder.MASKED);
        }
        Arrays.fill(scores, w0 + n * span, w0 + span * span, TransformerEncoder.MASKED);
      }
    }
    // One softmax op over every row: libnd4j's vectorised exp, where Math.exp per score cost more than the products.
    int rows = offsets.length * heads * span;
    return RowMatrices.values(Transforms.softmax(matrices.matrix(scores, rows, span), false));
  }

  /** The weights, times the dropout mask {@code drop} where given, times v: the context rows [rows × dim]. */
  double[] attend(double[] qkv, double[] weights, double[] drop) {
    double[] context = new double[rows() * dim];
    // context = P·v per segment and head, computed transposed (contextᵀ = vᵀ·Pᵀ) so that the
    // inner loop runs along a row of Pᵀ (all query rows) rather than along a head's few features.
    double[] valuesT = new double[headSize * span];
    double[] weightsT = new double[span * span];
    double[] contextT = new double[headSize * span];
    for (int s = 0; s < offsets.length; s++) {
      int n = lengths[s];
      for (int hd = 0; hd < heads; hd++) {
        gather(qkv, s, hd, 2, valuesT, true);
        int w0 = (s * heads + hd) * span * span;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            int w = w0 + i * span + j;
            weightsT[j * n + i] = drop == null ? weights[w] : weights[w] * drop[w];
          }
        }
        Arrays.fill(contextT, 0);
        for (int c = 0; c < headSize; c++) {
          for (int j = 0; j < n; j++) {
            double v = valuesT[c * n + j];
            if (v == 0) continue;
            for (int i = 0; i < n; i++) contextT[c * n + i] += v * weightsT[j * n + i];
          }
        }
        for (int i = 0; i < n; i++) {
          int out = (offsets[s] + i) * dim + hd * headSize;
          for (int c = 0; c < headSize; c++) context[out + c] = contextT[c * n + i];
        }
      }
    }
    return context;
  }

  /** The gradient of q|k|v from that of the context, through {@link #attend} and {@link #weights}. */
  double[] backward(double[] qkv, double[] weights, double[] drop, double[] dContext) {
    double[] dQkv = new double[rows() * 3 * dim];
    double[] dWeights = new double[span];
    double[] keys = new double[span * headSize];
    double[] valuesT = new double[headSize * span];
    double[] dKeys = new double[span * headSize];
    double[] dValues = new double[span * headSize];
    for (int s = 0; s < offsets.length; s++) {
      int n = lengths[s];
      for (int hd = 0; hd < heads; hd++) {
        gather(qkv, s, hd, 1, keys, false);
        gather(qkv, s, hd, 2, valuesT, true);
        Arrays.fill(dKeys, 0);
        Arrays.fill(dValues, 0);
        for (int i = 0; i < n; i++) {
          int w = ((s * heads + hd) * span + i) * span;
          int dc = (offsets[s] + i) * dim + hd * headSize;
          int q = (offsets[s] + i) * 3 * dim + hd * headSize;
          Arrays.fill(dWeights, 0);
          for (int c = 0; c < headSize; c++) {
            double d = dContext[dc + c];
            for (int j = 0; j < n; j++) dWeights[j] += d * valuesT[c * n + j];
          }
          double dot = 0;
          for (int j = 0; j < n; j++) {
            double keep = drop == null ? 1 : drop[w + j];
            double p = weights[w + j] * keep;
            if (p != 0) {
              for (int c = 0; c < headSize; c++) dValues[j * headSize + c] += p * dContext[dc + c];
            }
            dWeights[j] *= keep;
            dot += weights[w + j] * dWeights[j];
          }
          for (int j = 0; j < n; j++) {
            double dScore = weights[w + j] * (dWeights[j] - dot) * scale;
            if (dScore == 0) continue;
            for (int c = 0; c < headSize; c++) {
              dQkv[q + c] += dScore * keys[j * headSize + c];
              dKeys[j * headSize + c] += dScore * qkv[q + c];
            }
          }
        }
        for (int j = 0; j < n; j++) {
          int row = (offsets[s] + j) * 3 * dim + hd * headSize;
          for (int c = 0; c < headSize; c++) {
            dQkv[row + dim + c] += dKeys[j * headSize + c];
            dQkv[row + 2 * dim + c] += dValues[j * headSize + c];
          }
        }
      }
    }
    return dQkv;
  }

  private int rows() {
    int last = offsets.length - 1;
    return last < 0 ? 0 : offsets[last] + lengths[last];
  }

  /** Head {@code hd}'s part ({@code part} 0 = q, 1 = k, 2 = v) of segment s's rows: [n × headSize], or its transpose. */
  private void gather(double[] qkv, int s, int hd, int part, double[] into, boolean transposed) {
    int n = lengths[s];
    for (int j = 0; j < n; j++) {
      int from = (offsets[s] + j) * 3 * dim + part * dim + hd * headSize;
      for (int c = 0; c < headSize; c++) {
        into[transposed ? c * n + j : j * headSize + c] = qkv[from + c];
      }
    }
  }
}
