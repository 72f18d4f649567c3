package ai.mesm.media.face;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaceCropperTest {
  /** The image as TYPE_INT_RGB: its crops take the path through getRGB, the definition of the crop's bytes. */
  private static BufferedImage generic(BufferedImage image) {
    BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    copy.getGraphics().drawImage(image, 0, 0, null);
    return copy;
  }

  @Test
  void aDecodedFramesCropsEqualTheGenericPathsByteForByteWhateverTheBoxesBefore() {
    Random random = new Random(7);
    BufferedImage frame = new BufferedImage(320, 180, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 180; y++) for (int x = 0; x < 320; x++) frame.setRGB(x, y, random.nextInt(1 << 24));
    // One cropper for every image and box, as a task uses it: its kept buffers grow and are reused
    // for smaller rectangles.
    FaceCropper kept = new FaceCropper(48, 2);
    FaceCropper fresh = new FaceCropper(48, 2);
    BufferedImage[] images = {frame, frame.getSubimage(160, 0, 160, 180), frame.getSubimage(13, 7, 101, 93)};
    int crops = 0;
    for (BufferedImage image : images) {
      BufferedImage reference = generic(image);
      for (int i = 0; i < 12; i++) {
        float x1 = random.nextFloat() * image.getWidth() - 10;
        float y1 = random.nextFloat() * image.getHeight() - 10;
        float side = 8 + random.nextFloat() * 150;
        FaceBox box = i == 0 ? null : new FaceBox(x1, y1, x1 + side, y1 + side * 1.2f, 0.99f);
        byte[] expected = fresh.crop(reference, box);
        assertArrayEquals(expected, kept.crop(image, box), "box " + i + " of image " + image.getWidth() + "x"
            + image.getHeight());
        crops++;
      }
    }
    assertEquals(36, crops);
    assertEquals(48 * 48 * 3, kept.crop(frame, null).length);
  }

  @Test
  void anImageOfAnotherLayoutIsCroppedThroughItsColourModel() {
    Random random = new Random(11);
    BufferedImage abgr = new BufferedImage(64, 48, BufferedImage.TYPE_4BYTE_ABGR);
    for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) abgr.setRGB(x, y, 0xff000000 | random.nextInt(1 << 24));
    FaceBox box = new FaceBox(10, 5, 40, 38, 0.9f);
    assertArrayEquals(new FaceCropper(16, 2).crop(generic(abgr), box), new FaceCropper(16, 2).crop(abgr, box));
  }
}
