package ai.mesm.media.face;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;

/**
 * The summed-area tables give every rectangle's sum exactly, whatever the image's layout, for each
 * instruction-set level this CPU runs: the Java loop, and at AVX-512 the native kernel.
 */
class PixelSumsTest {
  private static final Random RANDOM = new Random(7);

  @Test
  void everyRectangleSumsToItsPixelsOnEachImageLayout() {
    BufferedImage bgr = random(37, 23, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage wide = random(80, 23, BufferedImage.TYPE_3BYTE_BGR);
    Frame frame = new Frame(41, 29, Frame.DEPTH_UBYTE, 3);
    java.nio.ByteBuffer buffer = (java.nio.ByteBuffer) frame.image[0];
    for (int i = 0; i < buffer.capacity(); i++) buffer.put(i, (byte) RANDOM.nextInt(256));
    try (Java2DFrameConverter converter = new Java2DFrameConverter()) {
      BufferedImage decoded = converter.convert(frame);
      for (int level = 0; level <= MtcnnKernels.level(); level++) {
        // Rows of 111, 120, 90, 123, 63 and 12 bytes: whole 16-byte vectors and the rest of a row, or no vector at all.
        for (BufferedImage image : new BufferedImage[] {bgr, random(37, 23, BufferedImage.TYPE_INT_RGB),
            random(19, 31, BufferedImage.TYPE_4BYTE_ABGR), wide.getSubimage(40, 0, 40, 23), wide.getSubimage(3, 5, 30, 11),
            decoded, decoded.getSubimage(20, 0, 21, 29), random(4, 3, BufferedImage.TYPE_3BYTE_BGR)}) {
          assertSumsMatch(image, level);
        }
      }
    }
  }

  /** A frame whose sums pass 2^31: the 32-bit tables wrap, and every rectangle still sums exactly. */
  @Test
  void sumsStayExactWhereTheTablesWrapAround() {
    int w = 3000;
    int h = 3000;
    BufferedImage white = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    java.util.Arrays.fill(((java.awt.image.DataBufferByte) white.getRaster().getDataBuffer()).getData(), (byte) 255);
    for (int level = 0; level <= MtcnnKernels.level(); level++) {
      PixelSums sums = new PixelSums(level);
      sums.load(white);
      for (int c = 0; c < 3; c++) {
        assertEquals(255L * w * h, sums.sum(c, 0, 0, h, w), "the whole frame, above 2^31, level " + level);
        assertEquals(255L * 100, sums.sum(c, h - 10, w - 10, h, w), "a corner where the table has wrapped");
        assertEquals(255L * 7 * 3000, sums.sum(c, 1000, 0, 1007, w), "a band across it");
      }
      float[] means = new float[3];
      sums.mean(h - 10, w - 10, h, w, means, 0);
      assertArrayEquals(new float[] {255f, 255f, 255f}, means, "the mean of a corner where the table has wrapped");
    }
  }

  private static void assertSumsMatch(BufferedImage image, int level) {
    PixelSums sums = new PixelSums(level);
    sums.load(random(50, 50, BufferedImage.TYPE_3BYTE_BGR)); // a larger frame before: the tables are reused
    sums.load(image);
    int w = image.getWidth();
    int h = image.getHeight();
    assertEquals(w, sums.frameWidth());
    assertEquals(h, sums.frameHeight());
    for (int trial = 0; trial < 200; trial++) {
      int y0 = RANDOM.nextInt(h);
      int x0 = RANDOM.nextInt(w);
      int y1 = y0 + 1 + RANDOM.nextInt(h - y0);
      int x1 = x0 + 1 + RANDOM.nextInt(w - x0);
      if (trial % 2 == 1) {
        // A region around the rectangle, sometimes too small for it: require() then loads the whole frame.
        sums.load(image, y0 - RANDOM.nextInt(3), x0 - RANDOM.nextInt(3), y1 + RANDOM.nextInt(3) - 1,
            x1 + RANDOM.nextInt(3) - 1);
      }
      sums.require(y0, x0, y1, x1);
      long[] expected = new long[3];
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          int p = image.getRGB(x, y);
          expected[0] += (p >> 16) & 0xff;
          expected[1] += (p >> 8) & 0xff;
          expected[2] += p & 0xff;
        }
      }
      float[] means = new float[5];
      sums.mean(y0, x0, y1, x1, means, 1);
      for (int c = 0; c < 3; c++) {
        String where = "level " + level + ", type " + image.getType() + ", channel " + c + " over [" + y0 + "," + y1 + ") x [" + x0 + "," + x1 + ")";
        assertEquals(expected[c], sums.sum(c, y0, x0, y1, x1), where);
        assertEquals((float) (expected[c] / (double) ((y1 - y0) * (x1 - x0))), means[1 + c], 0f, where);
      }
      assertEquals(0f, means[0], "mean writes only its three values");
      assertEquals(0f, means[4], "mean writes only its three values");
    }
  }

  private static BufferedImage random(int w, int h, int type) {
    BufferedImage image = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) image.setRGB(x, y, 0xff000000 | RANDOM.nextInt(1 << 24));
    }
    return image;
  }
}
