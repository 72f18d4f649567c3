package ai.mesm.model.sparse;

/**
 * tanh for float arrays as x·P(x²)/Q(x²) on x clamped to [−9, 9] (tanh(9) rounds to 1 in float),
 * with coefficients fitted for this class (max abs error 3.6e-7 against double tanh, i.e. a few
 * float ulps near ±1). Branch-free, so C2 vectorises the loop: ~1.3 ns per value here against
 * ~8 ns for ND4J's tanh op, which was the largest cost of the attention over all sites of block 1.
 */
final class FastTanh {
  private static final float P0 = 9.999999515e-01f;
  private static final float P1 = 1.338895148e-01f;
  private static final float P2 = 3.505102849e-03f;
  private static final float P3 = 2.076951780e-05f;
  private static final float P4 = 1.358400420e-08f;
  private static final float Q1 = 4.672226309e-01f;
  private static final float Q2 = 2.591292113e-02f;
  private static final float Q3 = 3.301363648e-04f;
  private static final float Q4 = 7.868946856e-07f;
  private static final float LIMIT = 9f;

  private FastTanh() {}

  /** {@code a[i] = tanh(a[i])} for i in [from, to). */
  static void inPlace(float[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      float x = Math.max(-LIMIT, Math.min(LIMIT, a[i]));
      float t = x * x;
      float p = (((P4 * t + P3) * t + P2) * t + P1) * t + P0;
      float q = (((Q4 * t + Q3) * t + Q2) * t + Q1) * t + 1f;
      a[i] = Math.max(-1f, Math.min(1f, x * p / q));
    }
  }
}
