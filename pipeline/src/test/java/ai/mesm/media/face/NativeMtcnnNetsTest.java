package ai.mesm.media.face;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.Random;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
      INDArray x = input(random, size[0], size[1], size[2]);
      assertClose(nd4j.pnet(x), fast.pnet(x), "P-Net " + java.util.Arrays.toString(size));
    }
    for (int n : new int[] {1, 5}) {
      INDArray x = input(random, n, 24, 24);
      assertClose(nd4j.rnet(x), fast.rnet(x), "R-Net batch " + n);
      INDArray y = input(random, n, 48, 48);
      assertClose(nd4j.onet(y), fast.onet(y), "O-Net batch " + n);
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

  /** Normalised pixels, as the detector feeds them: (x − 127.5) / 128. */
  private static INDArray input(Random random, int n, int h, int w) {
    float[] v = new float[n * 3 * h * w];
    for (int i = 0; i < v.length; i++) v[i] = (random.nextInt(256) - 127.5f) / 128f;
    return Nd4j.create(v, new long[] {n, 3, h, w}, 'c');
  }

  private static void assertClose(INDArray[] expected, INDArray[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i].shape(), actual[i].shape(), what + " output " + i);
      float[] e = MtcnnNets.floats(expected[i]);
      float[] a = MtcnnNets.floats(actual[i]);
      for (int j = 0; j < e.length; j++) {
        assertEquals(e[j], a[j], 1e-4 * Math.max(1, Math.abs(e[j])), what + " output " + i + " element " + j);
      }
    }
  }
}
