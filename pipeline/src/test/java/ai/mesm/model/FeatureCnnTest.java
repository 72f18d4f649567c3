package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The CNN structure against docs/computation.md#fe2e: shapes and reference costs (0.478 / 0.837 GMAC). */
class FeatureCnnTest {
  @Test
  void costsMatchTheReferenceCountsExactly() {
    // By hand: 48·48·64·75 + 2·(2·24·24·64·576) + 3·(42,467,328 + 84,934,656) = 478,199,808
    assertEquals(478_199_808L, FeatureCnn.macs(3, 48, 48));
    // By hand: 128·32·64·25 + 2·(2·64·16·64·576) + 3·(75,497,472 + 150,994,944) = 837,025,792
    assertEquals(837_025_792L, FeatureCnn.macs(1, 128, 32));
  }

  @Test
  void outputShapesAreThoseOfSpec() {
    assertArrayEquals(new int[] {512, 3, 3}, FeatureCnn.outputShape(FeatureCnn.LAYERS, 3, 48, 48));
    assertArrayEquals(new int[] {512, 8, 2}, FeatureCnn.outputShape(FeatureCnn.LAYERS, 1, 128, 32));
    var dense = FeatureCnn.LAYERS.subList(0, FeatureCnn.MESM_DENSE_LAYERS);
    assertArrayEquals(new int[] {64, 24, 24}, FeatureCnn.outputShape(dense, 3, 48, 48), "MESM's dense part, visual");
    assertArrayEquals(new int[] {64, 64, 16}, FeatureCnn.outputShape(dense, 1, 128, 32), "MESM's dense part, audio");
  }

  @Test
  void fe2eGflopsPerUtterance() {
    // 10 frames and 13 chunks: 2 · (10 · 0.4782 + 13 · 0.8370) GMAC
    assertEquals(2 * (10 * 0.478199808 + 13 * 0.837025792), FeatureCnn.fe2eGflops(10, 13), 1e-9);
  }
}
