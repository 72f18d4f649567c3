package ai.mesm.media.face;

import java.awt.image.BufferedImage;

/** A rectangle of an image as RGB bytes, row-major (HWC): what the crops and the Haar detector take. */
final class RgbBytes {
  private RgbBytes() {}

  /**
   * A decoded frame (3-byte BGR, sRGB) is read in one call: its raster gives each pixel's bands in
   * RGB order, the bytes getRGB would give, without getRGB's colour-model call per pixel (which took
   * a quarter of a streamed cut's Java time). Other images go through getRGB.
   */
  static byte[] of(BufferedImage image, int x0, int y0, int w, int h) {
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return (byte[]) image.getRaster().getDataElements(x0, y0, w, h, new byte[w * h * 3]);
    }
    byte[] rgb = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(x0, y0 + y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (p >> 16);
        rgb[o + 1] = (byte) (p >> 8);
        rgb[o + 2] = (byte) p;
      }
    }
    return rgb;
  }
}
