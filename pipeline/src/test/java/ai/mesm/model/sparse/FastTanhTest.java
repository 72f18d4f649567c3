package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FastTanhTest {
  @Test
  void staysWithinAFewFloatUlpsOfTanhEverywhere() {
    int n = 400_001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = -20f + 40f * i / (n - 1);
    float[] y = x.clone();
    FastTanh.inPlace(y, 0, n);
    float[] negated = new float[n];
    for (int i = 0; i < n; i++) negated[i] = -x[i];
    FastTanh.inPlace(negated, 0, n);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(y[i] - Math.tanh(x[i])));
      assertTrue(Math.abs(y[i]) <= 1f, "|tanh| <= 1 at " + x[i]);
      assertEquals(-y[i], negated[i], 0f, "odd at " + x[i]);
    }
    assertTrue(worst < 5e-7, "max abs error " + worst);
    float[] edges = {0f, Float.MIN_VALUE, 1e-20f, 9f, 1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    FastTanh.inPlace(edges, 0, edges.length);
    assertEquals(0f, edges[0]);
    assertEquals(Float.MIN_VALUE, edges[1], 0f);
    assertEquals(1e-20f, edges[2], 1e-27f);
    assertEquals(1f, edges[3], 1e-7f);
    assertEquals(1f, edges[4]);
    assertEquals(1f, edges[5]);
    assertEquals(-1f, edges[6]);
    assertTrue(Float.isNaN(edges[7]));
  }

  @Test
  void touchesOnlyTheGivenRange() {
    float[] a = {2f, 2f, 2f, 2f};
    FastTanh.inPlace(a, 1, 3);
    assertEquals(2f, a[0]);
    assertEquals((float) Math.tanh(2), a[1], 1e-6f);
    assertEquals(2f, a[3]);
  }
}
