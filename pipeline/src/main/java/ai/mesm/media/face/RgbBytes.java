package ai.mesm.media.face;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/** A rectangle of an image as RGB bytes, row-major (HWC): what the crops and the Haar detector take. */
final class RgbBytes {
  private RgbBytes() {}

  /**
   * How a decoded frame (3-byte BGR, a sub-image included) holds its pixels: blue, green, red per
   * pixel, rows {@code scan} bytes apart in {@code data}, the image's pixel (0, 0) at {@code origin}.
   */
  record Bgr(byte[] data, int origin, int scan) {
    /** Where pixel (x, y) of the image starts. */
    int at(int x, int y) {
      return origin + y * scan + 3 * x;
    }
  }

  /** The layout of a decoded frame's bytes, or null for an image stored any other way. */
  static Bgr bgr(BufferedImage image) {
    Raster raster = image.getRaster();
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR || !(raster.getDataBuffer() instanceof DataBufferByte bytes)
        || !(raster.getSampleModel() instanceof ComponentSampleModel sm) || sm.getPixelStride() != 3
        || !java.util.Arrays.equals(sm.getBandOffsets(), BGR_BANDS)) {
      return null;
    }
    // ComponentSampleModel.getOffset would add band 0's offset, so the origin is computed here.
    int scan = sm.getScanlineStride();
    int origin = bytes.getOffset() + (raster.getMinY() - raster.getSampleModelTranslateY()) * scan
        + (raster.getMinX() - raster.getSampleModelTranslateX()) * 3;
    return new Bgr(bytes.getData(), origin, scan);
  }

  /** Where red, green and blue sit in a decoded frame's 3-byte pixels. */
  private static final int[] BGR_BANDS = {2, 1, 0};

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
