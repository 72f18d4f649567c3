package ai.mesm.model.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
  /**
   * A segment of at least this many rows × head size goes through ND4J's batched GEMMs over its
   * heads, if its rows are its utterance's own (not padded to its batch's longest, so that its
   * result does not depend on its batch) and no key is biased; shorter ones through the Java
   * loops, which cost less than the ND4J calls there.
   */
  static final int GEMM_MIN = 2048;

  private final int dim;
  private final int heads;
  private final int headSize;
  private final double scale;
  private final int[] offsets;
  private final int[] lengths;
  /** The longest segment: the stride of the weights. */
  private final int span;
  private final double[] keyBias;
  /** Per segment: whether it may go through the batched GEMMs (its own rows, no key biased). */
  private final boolean[] gemm;
  private final RowMatrices matrices;

  /**
   * @param offsets each segment's first row
   * @param lengths each segment's rows
   * @param keyBias a score bias per row as a key (0, or −1e9 to mask it), or null for none
   * @param ownRows whether each segment holds only its utterance's own rows, whatever its batch
   */
  SelfAttention(int dim, int heads, int[] offsets, int[] lengths, double[] keyBias, boolean ownRows,
                RowMatrices matrices) {
    this.dim = dim;
    this.heads = heads;
    this.headSize = dim / heads;
    this.scale = 1 / Math.sqrt(headSize);
    this.offsets = offsets;
    this.lengths = lengths;
    this.span = Arrays.stream(lengths).max().orElse(0);
    this.keyBias = keyBias;
    this.matrices = matrices;
    gemm = new boolean[offsets.length];
    for (int s = 0; s < offsets.length; s++) {
      gemm[s] = ownRows && lengths[s] * headSize >= GEMM_MIN;
      for (int r = offsets[s]; gemm[s] && keyBias != null && r < offsets[s] + lengths[s]; r++) gemm[s] = keyBias[r] == 0;
    }
  }

  /** Segments of {@code length} rows each, one after another, padded to their batch's longest: on the Java loops. */
  static SelfAttention uniform(int dim, int heads, int segments, int length, double[] keyBias, RowMatrices matrices) {
    int[] offsets = new int[segments];
    int[] lengths = new int[segments];
    for (int s = 0; s < segments; s++) {
      offsets[s] = s * length;
      lengths[s] = length;
    }
    return new SelfAttention(dim, heads, offsets, lengths, keyBias, false, matrices);
  }

  /** Softmax(q·kᵀ/√d + key bias) per segment, head and query row: [segments·heads·span × span]. */
  double[] weights(double[] qkv) {
    double[] scores = new double[offsets.length * heads * span * span];
    double[] keysT = new double[headSize * span];
    for (int s = 0; s < offsets.length; s++) {
      int n = lengths[s];
      double[] products = viaGemm(s, null) ? RowMatrices.values(Nd4j.matmul(heads(qkv, 3 * dim, 0, s),
          heads(qkv, 3 * dim, 1, s), false, true, false)) : null;
      for (int hd = 0; hd < heads; hd++) {
        int w0 = (s * heads + hd) * span * span;
        if (products != null) {
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) scores[w0 + i * span + j] = products[(hd * n + i) * n + j] * scale;
          }
        } else {
          gather(qkv, s, hd, 1, keysT, true);
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
          }
        }
        // Padding to the longest segment: keys that get weight 0, query rows nobody reads.
        for (int i = 0; i < n; i++) Arrays.fill(scores, w0 + i * span + n, w0 + (i + 1) * span, TransformerEncoder.MASKED);
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
      if (viaGemm(s, drop)) {
        put(Nd4j.matmul(segmentWeights(weights, s), heads(qkv, 3 * dim, 2, s)), context, dim, 0, s);
        continue;
      }
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
      if (viaGemm(s, drop)) {
        backwardViaGemm(s, qkv, weights, dContext, dQkv);
        continue;
      }
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

  private boolean viaGemm(int s, double[] drop) {
    return gemm[s] && drop == null;
  }

  /** {@link #backward} for segment s as batched GEMMs over its heads: its rows of dQkv written. */
  private void backwardViaGemm(int s, double[] qkv, double[] weights, double[] dContext, double[] dQkv) {
    int n = lengths[s];
    INDArray p = segmentWeights(weights, s);
    INDArray dC = heads(dContext, dim, 0, s);
    double[] pv = RowMatrices.values(p);
    double[] dP = RowMatrices.values(Nd4j.matmul(dC, heads(qkv, 3 * dim, 2, s), false, true, false));
    // Softmax's backward per query row: dS = P ∘ (dP − Σ P·dP), times the score scale.
    for (int r = 0; r < heads * n; r++) {
      double dot = 0;
      for (int j = 0; j < n; j++) dot += pv[r * n + j] * dP[r * n + j];
      for (int j = 0; j < n; j++) dP[r * n + j] = pv[r * n + j] * (dP[r * n + j] - dot) * scale;
    }
    INDArray dS = matrices.array(dP, heads, n, n);
    put(Nd4j.matmul(dS, heads(qkv, 3 * dim, 1, s)), dQkv, 3 * dim, 0, s);
    put(Nd4j.matmul(dS, heads(qkv, 3 * dim, 0, s), true, false, false), dQkv, 3 * dim, 1, s);
    put(Nd4j.matmul(p, dC, true, false, false), dQkv, 3 * dim, 2, s);
  }

  /** Part {@code part} of segment s's rows (each {@code width} wide) as [heads, n, headSize] in the network's type. */
  private INDArray heads(double[] rows, int width, int part, int s) {
    int n = lengths[s];
    double[] out = new double[heads * n * headSize];
    for (int hd = 0; hd < heads; hd++) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(rows, (offsets[s] + i) * width + part * dim + hd * headSize, out, (hd * n + i) * headSize, headSize);
      }
    }
    return matrices.array(out, heads, n, headSize);
  }

  /** [heads, n, headSize] into part {@code part} of segment s's rows (each {@code width} wide). */
  private void put(INDArray perHead, double[] rows, int width, int part, int s) {
    int n = lengths[s];
    double[] values = RowMatrices.values(perHead);
    for (int hd = 0; hd < heads; hd++) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(values, (hd * n + i) * headSize, rows, (offsets[s] + i) * width + part * dim + hd * headSize, headSize);
      }
    }
  }

  /** Segment s's attention weights as [heads, n, n]. */
  private INDArray segmentWeights(double[] weights, int s) {
    int n = lengths[s];
    double[] out = new double[heads * n * n];
    for (int hd = 0; hd < heads; hd++) {
      for (int i = 0; i < n; i++) System.arraycopy(weights, ((s * heads + hd) * span + i) * span, out, (hd * n + i) * n, n);
    }
    return matrices.array(out, heads, n, n);
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
