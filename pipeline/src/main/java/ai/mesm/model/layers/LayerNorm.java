package ai.mesm.model.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Layer normalisation over the last dimension of rows [n, features] with an epsilon, written out
 * in SameDiff ops: ND4J 1.0.0-M2.1's {@code layer_norm} op has no epsilon, so a near-constant row
 * is divided by ~0 (it gives ±1 where PyTorch, with eps 1e-5, gives ±0.3) and the gradient
 * overflows. (x − mean) / √(var + eps) · gain + bias, variance biased as PyTorch's.
 */
final class LayerNorm {
  private LayerNorm() {}

  static SDVariable rows(SDVariable x, SDVariable gain, SDVariable bias, double eps) {
    SameDiff sd = x.getSameDiff();
    SDVariable centred = x.sub(x.mean(true, 1));
    SDVariable variance = centred.mul(centred).mean(true, 1);
    return centred.div(sd.math.sqrt(variance.add(eps))).mul(gain).add(bias);
  }
}
