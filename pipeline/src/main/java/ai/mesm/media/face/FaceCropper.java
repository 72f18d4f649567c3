package ai.mesm.media.face;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Cuts the face crop of docs/computation.md#face-crops out of a frame: the detector's box widened by the margin rule of
 * the reference (margin m at the output scale s becomes m·side/(s−m) source pixels, half on each
 * side), clipped to the frame, resized to s×s with area interpolation. Without a box, a square
 * centred on the frame (side = the frame's shorter side) is used instead.
 *
 * <p>A decoded frame's rectangle is copied row by row into native memory that the cropper keeps
 * from crop to crop, in the frame's own BGR order, and resized there into a kept output; the
 * output's red and blue are swapped afterwards (area interpolation treats each channel alone, so
 * this equals resizing the RGB rectangle, byte for byte). Not thread-safe: one per task thread.
 */
public final class FaceCropper {
  private final int size;
  private final int margin;
  /** The rectangle's BGR bytes, grown when a larger one comes. */
  private BytePointer region;
  private final Mat resized = new Mat();
  private final Size output;

  public FaceCropper(int size, int margin) {
    this.size = size;
    this.margin = margin;
    this.output = new Size(size, size);
  }

  /** The source rectangle (x1, y1, x2, y2), integer pixels, that the crop is made from. */
  public int[] cropBox(FaceBox box, int width, int height) {
    if (box == null) {
      int side = Math.min(width, height);
      int x1 = (width - side) / 2;
      int y1 = (height - side) / 2;
      return new int[] {x1, y1, x1 + side, y1 + side};
    }
    double mx = margin * (box.x2() - box.x1()) / (double) (size - margin);
    double my = margin * (box.y2() - box.y1()) / (double) (size - margin);
    int x1 = (int) Math.max(box.x1() - mx / 2, 0);
    int y1 = (int) Math.max(box.y1() - my / 2, 0);
    int x2 = (int) Math.min(box.x2() + mx / 2, width);
    int y2 = (int) Math.min(box.y2() + my / 2, height);
    if (x2 <= x1 || y2 <= y1) return cropBox(null, width, height);
    return new int[] {x1, y1, x2, y2};
  }

  /** @return size×size×3 bytes, RGB, row-major (HWC) */
  public byte[] crop(BufferedImage frame, FaceBox box) {
    int[] r = cropBox(box, frame.getWidth(), frame.getHeight());
    int w = r[2] - r[0];
    int h = r[3] - r[1];
    Raster raster = frame.getRaster();
    if (frame.getType() == BufferedImage.TYPE_3BYTE_BGR && raster.getDataBuffer() instanceof DataBufferByte bytes
        && raster.getSampleModel() instanceof ComponentSampleModel sm && sm.getPixelStride() == 3
        && java.util.Arrays.equals(sm.getBandOffsets(), BGR_BANDS)) {
      return cropBgr(bytes, sm, raster, r[0], r[1], w, h);
    }
    byte[] rgb = RgbBytes.of(frame, r[0], r[1], w, h);
    try (BytePointer pixels = new BytePointer(rgb); Mat src = new Mat(h, w, opencv_core.CV_8UC3, pixels);
         Mat dst = new Mat()) {
      resize(src, dst, output, 0, 0, INTER_AREA);
      byte[] out = new byte[size * size * 3];
      dst.data().get(out);
      return out;
    }
  }

  /** Where red, green and blue sit in a decoded frame's 3-byte pixels. */
  private static final int[] BGR_BANDS = {2, 1, 0};

  /** A 3-byte BGR raster's rectangle (x0, y0, w, h), the raster possibly a sub-image of a larger one. */
  private byte[] cropBgr(DataBufferByte bytes, ComponentSampleModel sm, Raster raster, int x0, int y0, int w, int h) {
    byte[] data = bytes.getData();
    int scan = sm.getScanlineStride();
    // The rectangle's first byte in the (possibly shared) buffer; band offsets are B, G, R = 0, 1, 2 from it.
    int origin = bytes.getOffset() + (raster.getMinY() + y0 - raster.getSampleModelTranslateY()) * scan
        + (raster.getMinX() + x0 - raster.getSampleModelTranslateX()) * 3;
    long n = 3L * w * h;
    if (region == null || region.capacity() < n) {
      if (region != null) region.close();
      region = new BytePointer(n);
    }
    int row = 3 * w;
    for (int y = 0; y < h; y++) region.position((long) y * row).put(data, origin + y * scan, row);
    region.position(0);
    try (Mat src = new Mat(h, w, opencv_core.CV_8UC3, region)) {
      resize(src, resized, output, 0, 0, INTER_AREA);
    }
    byte[] out = new byte[size * size * 3];
    resized.data().get(out);
    for (int i = 0; i < out.length; i += 3) {
      byte blue = out[i];
      out[i] = out[i + 2];
      out[i + 2] = blue;
    }
    return out;
  }
}
