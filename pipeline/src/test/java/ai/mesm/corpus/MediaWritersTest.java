package ai.mesm.corpus;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's writers hand their bytes over in bulk (VideoWriter straight from the image's
 * raster, WavWriter from one array): frames must come back as drawn, with red left red and the
 * rows in order, and samples as 16-bit little-endian values rounded and clipped like before.
 */
class MediaWritersTest {
  @TempDir Path dir;

  @Test
  void framesDecodeAsDrawnInBothContainers() throws Exception {
    for (VideoWriter.Container container : VideoWriter.Container.values()) {
      boolean mp4 = container == VideoWriter.Container.H264_AAC_MP4;
      Path file = dir.resolve(mp4 ? "clip.mp4" : "clip.avi");
      try (VideoWriter w = new VideoWriter(file, container, 64, 48, 25, mp4 ? 2 : 0, 44_100)) {
        for (int i = 0; i < 10; i++) {
          w.frame(quadrants(64, 48));
          if (mp4) w.samples(44_100, new float[2 * 1764]);
        }
      }
      try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
           Java2DFrameConverter converter = new Java2DFrameConverter()) {
        g.start();
        int frames = 0;
        for (Frame f; (f = g.grabImage()) != null; frames++) {
          BufferedImage img = converter.convert(f);
          assertColour(Color.RED, img.getRGB(12, 10), container + " top left");
          assertColour(Color.BLUE, img.getRGB(52, 10), container + " top right");
          assertColour(Color.GREEN, img.getRGB(12, 38), container + " bottom left");
          assertColour(Color.WHITE, img.getRGB(52, 38), container + " bottom right");
        }
        assertEquals(10, frames, container.toString());
      }
    }
  }

  @Test
  void aFrameOfAnotherTypeOrSizeIsRefusedByName() throws Exception {
    try (VideoWriter w = new VideoWriter(dir.resolve("x.avi"), VideoWriter.Container.DIVX_AVI, 64, 48, 25, 0, 0)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> w.frame(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB)));
      assertTrue(e.getMessage().contains("TYPE_3BYTE_BGR"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> w.frame(new BufferedImage(32, 48, BufferedImage.TYPE_3BYTE_BGR)));
      assertThrows(IllegalArgumentException.class,
          () -> w.frame(new BufferedImage(64, 96, BufferedImage.TYPE_3BYTE_BGR).getSubimage(0, 48, 64, 48)));
    }
  }

  @Test
  void wavSamplesAreInterleavedLittleEndianRoundedAndClipped() throws Exception {
    Path file = dir.resolve("x.wav");
    WavWriter.write(file, 16_000, new float[] {-1f, 0.5f, 2f}, new float[] {-0.5f, 0f, -3f});
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(44 + 12, b.capacity());
    assertEquals(36 + 12, b.getInt(4));
    assertEquals(2, b.getShort(22), "channels");
    assertEquals(16_000, b.getInt(24));
    assertEquals(12, b.getInt(40), "data bytes");
    short[] samples = new short[6];
    b.position(44).asShortBuffer().get(samples);
    assertArrayEquals(new short[] {-32767, -16383, 16384, 0, 32767, -32767}, samples);
  }

  /** Red, blue / green, white quadrants: a swapped channel or a flipped row shows as a wrong colour. */
  private static BufferedImage quadrants(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, w / 2, h / 2);
    g.setColor(Color.BLUE);
    g.fillRect(w / 2, 0, w / 2, h / 2);
    g.setColor(Color.GREEN);
    g.fillRect(0, h / 2, w / 2, h / 2);
    g.setColor(Color.WHITE);
    g.fillRect(w / 2, h / 2, w / 2, h / 2);
    g.dispose();
    return img;
  }

  private static void assertColour(Color expected, int rgb, String where) {
    Color got = new Color(rgb);
    int d = Math.abs(got.getRed() - expected.getRed()) + Math.abs(got.getGreen() - expected.getGreen())
        + Math.abs(got.getBlue() - expected.getBlue());
    assertTrue(d < 90, where + ": expected " + expected + ", decoded " + got);
  }
}
