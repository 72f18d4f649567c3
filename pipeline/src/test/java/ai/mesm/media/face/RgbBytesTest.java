package ai.mesm.media.face;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RgbBytesTest {
  @Test
  void aDecodedFramesPixelsAreReadAsGetRgbReadsThemInAFrameAndInItsHalves() {
    BufferedImage frame = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
    Random random = new Random(3);
    for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) frame.setRGB(x, y, random.nextInt(1 << 24));
    for (BufferedImage image : new BufferedImage[] {frame, frame.getSubimage(20, 0, 20, 30), frame.getSubimage(7, 5, 13, 11)}) {
      BufferedImage generic = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      generic.getGraphics().drawImage(image, 0, 0, null);
      assertArrayEquals(RgbBytes.of(generic, 2, 3, 9, 7), RgbBytes.of(image, 2, 3, 9, 7));
      byte[] rgb = RgbBytes.of(image, 2, 3, 9, 7);
      int p = image.getRGB(2 + 4, 3 + 5);
      int o = (5 * 9 + 4) * 3;
      assertArrayEquals(new byte[] {(byte) (p >> 16), (byte) (p >> 8), (byte) p}, new byte[] {rgb[o], rgb[o + 1], rgb[o + 2]});
    }
    // The crop itself: the same bytes from either kind of image.
    FaceCropper cropper = new FaceCropper(16, 4);
    BufferedImage generic = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    generic.getGraphics().drawImage(frame, 0, 0, null);
    FaceBox box = new FaceBox(8, 6, 30, 25, 0.99f);
    assertArrayEquals(cropper.crop(generic, box), cropper.crop(frame, box));
  }
}
