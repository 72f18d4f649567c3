package ai.mesm.model.loss;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Binary cross-entropy on logits with a positive-class weight per class, as PyTorch's
 * {@code BCEWithLogitsLoss(pos_weight=…)} (docs/computation.md#training): ℓ = −[w·y·log σ(x) + (1−y)·log(1−σ(x))],
 * averaged over classes and examples. Computed in the stable form
 * ℓ = (1−y)·x + (1 + (w−1)·y)·softplus(−x), with gradient σ(x)·(1 + (w−1)·y) − w·y.
 * The layer's activation must be identity: the input is the logits.
 */
public final class WeightedBceWithLogits implements ILossFunction {
  @JsonProperty("positiveWeights")
  private double[] positiveWeights;

  public WeightedBceWithLogits() {}

  public WeightedBceWithLogits(double[] positiveWeights) {
    this.positiveWeights = positiveWeights.clone();
  }

  /**
   * The same loss from probabilities already computed (validation, where logits are not kept):
   * mean over items and classes, with p clamped to [1e-7, 1 − 1e-7] as float32 sigmoids saturate.
   */
  public static double ofProbabilities(double[][] probabilities, int[][] labels, double[] positiveWeights) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < probabilities.length; i++) {
      for (int c = 0; c < positiveWeights.length; c++) {
        double p = Math.min(1 - 1e-7, Math.max(1e-7, probabilities[i][c]));
        sum -= labels[i][c] == 1 ? positiveWeights[c] * Math.log(p) : Math.log(1 - p);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  public double[] getPositiveWeights() {
    return positiveWeights.clone();
  }

  private INDArray logits(INDArray preOutput, IActivation activation) {
    return activation.getActivation(preOutput.dup(), true);
  }

  private INDArray weights(INDArray like) {
    if (positiveWeights.length != like.size(1)) {
      throw new IllegalArgumentException(positiveWeights.length + " positive weights for " + like.size(1) + " classes");
    }
    return Nd4j.create(positiveWeights, new long[] {1, positiveWeights.length}, like.dataType());
  }

  /** Per-example, per-class loss [mb, classes]. */
  private INDArray elementLoss(INDArray labels, INDArray x) {
    INDArray w = weights(x);
    INDArray logWeight = labels.mulRowVector(w.sub(1.0)).addi(1.0); // 1 + (w−1)·y
    INDArray softplusNeg = Transforms.softPlus(x.neg(), false);
    return labels.rsub(1.0).muli(x).addi(logWeight.muli(softplusNeg));
  }

  private static INDArray masked(INDArray values, INDArray mask) {
    if (mask == null) return values;
    return mask.size(1) == 1 ? values.mulColumnVector(mask) : values.mul(mask);
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
    INDArray loss = masked(elementLoss(labels, logits(preOutput, activation)), mask);
    return loss.mean(1).reshape(loss.size(0), 1);
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask,
                             boolean average) {
    double sum = computeScoreArray(labels, preOutput, activation, mask).sumNumber().doubleValue();
    return average ? sum / preOutput.size(0) : sum;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
    INDArray x = logits(preOutput, activation);
    INDArray w = weights(x);
    INDArray sig = Transforms.sigmoid(x, true);
    INDArray logWeight = labels.mulRowVector(w.sub(1.0)).addi(1.0);
    INDArray dLdx = sig.muli(logWeight).subi(labels.mulRowVector(w)).divi(x.size(1));
    INDArray grad = activation.backprop(preOutput.dup(), dLdx).getFirst();
    return masked(grad, mask);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activation,
                                                        INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, activation, mask, average),
        computeGradient(labels, preOutput, activation, mask));
  }

  @Override
  public String name() {
    return "WeightedBceWithLogits" + Arrays.toString(positiveWeights);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedBceWithLogits other && Arrays.equals(other.positiveWeights, positiveWeights);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(positiveWeights);
  }

  @Override
  public String toString() {
    return name();
  }
}
