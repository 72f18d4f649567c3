package ai.mesm.model.sparse;

/**
 * How the cross-modal attention of a sparse block enters the computation (docs/computation.md#mesm).
 *
 * <ul>
 *   <li>{@code REFERENCE} (default): as the reference implementation: the attention only chooses
 *       the kept sites (the mask is not differentiable) and kept features pass unweighted, so the
 *       attention parameters receive no gradient and keep their initial values. Use it to compare
 *       with the paper.
 *   <li>{@code SCALED}: kept features are multiplied by α·K (α the site's attention weight, K the
 *       number of candidate sites of its frame, so uniform attention is the identity), which gives
 *       the attention, and through its query the text encoder, a gradient: the attention learns.
 * </ul>
 */
public enum AttentionMode {
  REFERENCE,
  SCALED
}
