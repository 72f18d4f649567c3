package ai.mesm.media.face;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The native MTCNN layers against the ND4J path on the same weights: every output of the three
 * networks on random inputs (batches and frame sizes where the pixel tiles have tails), and the
 * detector's faces on the real photo. CI builds with a C compiler, so the native layers must load.
 */
class NativeMtcnnNetsTest {
  @Test
  void theNativeLayersLoadWhereTheBuildHadACompiler() throws Exception {
    assertTrue(MtcnnKernels.available(), MtcnnKernels.unavailableReason());
    assertTrue(MtcnnNets.shipped().describe().startsWith("native"), MtcnnNets.shipped().describe());
    assertTrue(MtcnnNets.shipped().onNd4j().describe().startsWith("nd4j"));
    assertTrue(MtcnnNets.shipped().withKernels("nd4j").describe().startsWith("nd4j"));
    assertTrue(MtcnnNets.shipped().withKernels("native").describe().startsWith("native"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MtcnnNets.shipped().withKernels("gpu"));
    assertTrue(e.getMessage().contains("mesm.media.face.mtcnn.kernels"), e.getMessage());
  }

  @Test
  void everyNetworkEqualsTheNd4jPath() throws Exception {
    MtcnnNets fast = MtcnnNets.shipped();
    MtcnnNets nd4j = fast.onNd4j();
    Random random = new Random(11);
    for (int[] size : new int[][] {{1, 12, 12}, {1, 37, 53}, {2, 61, 29}}) {
      float[] x = input(random, size[0], size[1], size[2]);
      assertClose(nd4j.pnet(x, size[0], size[1], size[2]), fast.pnet(x, size[0], size[1], size[2]),
          "P-Net " + java.util.Arrays.toString(size));
    }
    for (int n : new int[] {1, 5}) {
      float[] x = input(random, n, 24, 24);
      assertClose(nd4j.rnet(x, n), fast.rnet(x, n), "R-Net batch " + n);
      float[] y = input(random, n, 48, 48);
      assertClose(nd4j.onet(y, n), fast.onet(y, n), "O-Net batch " + n);
    }
  }

  @Test
  void theDetectorFindsTheSameFaceOnEitherPath() throws Exception {
    BufferedImage image = ImageIO.read(ai.mesm.testing.RealData.mtcnnReference().getParent()
        .resolve("real/astronaut.png").toFile());
    MtcnnNets fast = MtcnnNets.shipped();
    float[] thresholds = {0.6f, 0.7f, 0.7f};
    try (MtcnnFaceDetector a = new MtcnnFaceDetector(fast, 20, thresholds, 0.709f);
        MtcnnFaceDetector b = new MtcnnFaceDetector(fast.onNd4j(), 20, thresholds, 0.709f)) {
      FaceBox onNative = a.detectLargest(image).orElseThrow();
      FaceBox onNd4j = b.detectLargest(image).orElseThrow();
      assertEquals(onNd4j.x1(), onNative.x1(), 0.01);
      assertEquals(onNd4j.y1(), onNative.y1(), 0.01);
      assertEquals(onNd4j.x2(), onNative.x2(), 0.01);
      assertEquals(onNd4j.y2(), onNative.y2(), 0.01);
      assertEquals(onNd4j.score(), onNative.score(), 1e-4);
    }
  }

  /**
   * Each layer at every instruction-set level this CPU has (AVX2 and AVX-512 here) against the
   * definition computed in Java: channel counts that fill one or two vectors or leave a tail, row
   * widths with and without a pixel-tile tail, kernels of 1 to 3, batches of 1 and 3.
   */
  @Test
  void everyLevelsLayersEqualTheirDefinition() {
    Random random = new Random(5);
    assertTrue(MtcnnKernels.level() >= 1, MtcnnKernels.unavailableReason());
    for (int level = 1; level <= MtcnnKernels.level(); level++) {
      for (int[] shape : new int[][] {{1, 3, 12, 12, 3, 10}, {3, 16, 9, 13, 3, 16}, {2, 32, 5, 21, 2, 48}, {1, 48, 4, 7, 3, 64},
          {2, 64, 3, 3, 2, 128}, {1, 32, 6, 17, 1, 6},
          // fewer output pixels than a tile (a tile repeating the last pixel, storing only the real ones; a
          // dense layer over two boxes), and a tile running across rows and images
          {1, 16, 3, 3, 2, 16}, {2, 64, 1, 1, 1, 128}, {3, 16, 4, 5, 3, 32}}) {
        int n = shape[0], cin = shape[1], h = shape[2], w = shape[3], k = shape[4], cout = shape[5];
        int cp = MtcnnKernels.padded(cout);
        float[] weights = new float[k * k * cin * cp];
        float[] bias = new float[cp];
        float[] slope = new float[cp];
        for (int co = 0; co < cout; co++) {
          bias[co] = (float) random.nextGaussian();
          slope[co] = random.nextFloat();
          for (int i = 0; i < k * k * cin; i++) weights[i * cp + co] = (float) random.nextGaussian();
        }
        float[] in = new float[n * h * w * cin];
        for (int i = 0; i < in.length; i++) in[i] = (float) random.nextGaussian();
        MtcnnKernels.Act x = new MtcnnKernels.Act(in, n, h, w, cin);
        MtcnnKernels.Act y = MtcnnKernels.convPrelu(x, new MtcnnKernels.Conv(weights, k, cin, cp, bias, slope), level);
        int oh = h - k + 1, ow = w - k + 1;
        String what = "level " + level + " shape " + java.util.Arrays.toString(shape);
        for (int b = 0; b < n; b++) {
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              for (int co = 0; co < cp; co++) {
                double sum = bias[co];
                for (int ky = 0; ky < k; ky++) {
                  for (int kx = 0; kx < k; kx++) {
                    for (int ci = 0; ci < cin; ci++) {
                      sum += in[((b * h + i + ky) * w + j + kx) * cin + ci] * weights[((ky * k + kx) * cin + ci) * cp + co];
                    }
                  }
                }
                double expected = sum > 0 ? sum : slope[co] * sum;
                assertEquals(expected, y.v()[((b * oh + i) * ow + j) * cp + co], 1e-4 * Math.max(1, Math.abs(expected)), what);
              }
            }
          }
        }
        if (oh >= 2 && ow >= 2) {
          MtcnnKernels.Act pooled = MtcnnKernels.maxPool(y, Math.min(3, oh), 2, level);
          int ph = MtcnnNets.pooledSize(oh, Math.min(3, oh), 2);
          int pw = MtcnnNets.pooledSize(ow, Math.min(3, oh), 2);
          assertEquals(n * ph * pw * cp, pooled.v().length, what);
          for (int b = 0; b < n; b++) {
            for (int i = 0; i < ph; i++) {
              for (int j = 0; j < pw; j++) {
                for (int c = 0; c < cp; c++) {
                  float m = Float.NEGATIVE_INFINITY;
                  for (int yy = 2 * i; yy < Math.min(2 * i + Math.min(3, oh), oh); yy++) {
                    for (int xx = 2 * j; xx < Math.min(2 * j + Math.min(3, oh), ow); xx++) {
                      m = Math.max(m, y.v()[((b * oh + yy) * ow + xx) * cp + c]);
                    }
                  }
                  assertEquals(m, pooled.v()[((b * ph + i) * pw + j) * cp + c], what + " pooled");
                }
              }
            }
          }
        }
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MtcnnKernels.convPrelu(new MtcnnKernels.Act(new float[12], 1, 2, 2, 3),
            new MtcnnKernels.Conv(new float[9 * 3 * 16], 3, 3, 16, new float[16], new float[16])));
    assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
  }

  /** Normalised pixels [n, h, w, 3], as the detector feeds them: (x − 127.5) / 128. */
  private static float[] input(Random random, int n, int h, int w) {
    float[] v = new float[n * 3 * h * w];
    for (int i = 0; i < v.length; i++) v[i] = (random.nextInt(256) - 127.5f) / 128f;
    return v;
  }

  /** A layer given a longer buffer holding old values writes its output there, the same values as into a new array. */
  @Test
  void layersWriteIntoAKeptBufferWhenItIsLongEnough() {
    Random random = new Random(5);
    int cin = 3, cp = 16, k = 3;
    float[] weights = new float[k * k * cin * cp];
    for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextGaussian();
    MtcnnKernels.Conv conv = new MtcnnKernels.Conv(weights, k, cin, cp, new float[cp], new float[cp]);
    float[] in = new float[2 * 12 * 11 * cin + 7]; // longer than the activations: a kept input buffer
    for (int i = 0; i < in.length; i++) in[i] = (float) random.nextGaussian();
    MtcnnKernels.Act x = new MtcnnKernels.Act(in, 2, 9, 11, cin);
    MtcnnKernels.Act fresh = MtcnnKernels.convPrelu(x, conv);
    assertEquals(fresh.size(), fresh.v().length);
    float[] kept = new float[fresh.size() + 100];
    java.util.Arrays.fill(kept, Float.NaN);
    MtcnnKernels.Act reused = MtcnnKernels.convPrelu(x, conv, kept);
    assertSame(kept, reused.v());
    assertArrayEquals(fresh.v(), java.util.Arrays.copyOf(kept, fresh.size()));
    assertNotSame(kept, MtcnnKernels.convPrelu(new MtcnnKernels.Act(in, 2, 12, 11, cin), conv, kept).v(), "too short: a new array");

    MtcnnKernels.Act pooled = MtcnnKernels.maxPool(fresh, 3, 2);
    float[] keptPool = new float[pooled.size() + 3];
    java.util.Arrays.fill(keptPool, Float.NaN);
    assertSame(keptPool, MtcnnKernels.maxPool(reused, 3, 2, keptPool).v());
    assertArrayEquals(pooled.v(), java.util.Arrays.copyOf(keptPool, pooled.size()));
    assertThrows(IllegalArgumentException.class, () -> new MtcnnKernels.Act(new float[10], 1, 2, 2, 3),
        "activations longer than their array");
  }

  private static void assertClose(MtcnnNets.Heads expected, MtcnnNets.Heads actual, String what) {
    assertEquals(expected.h(), actual.h(), what + " map height");
    assertEquals(expected.w(), actual.w(), what + " map width");
    assertClose(expected.regression(), actual.regression(), what + " regression");
    assertClose(expected.probability(), actual.probability(), what + " face probability");
    assertEquals(expected.landmarks() == null, actual.landmarks() == null, what + " landmarks");
    if (expected.landmarks() != null) assertClose(expected.landmarks(), actual.landmarks(), what + " landmarks");
  }

  private static void assertClose(float[] e, float[] a, String what) {
    assertEquals(e.length, a.length, what + " length");
    for (int j = 0; j < e.length; j++) assertEquals(e[j], a[j], 1e-4 * Math.max(1, Math.abs(e[j])), what + " element " + j);
  }
}
