package ai.mesm.media.face;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.image.BufferedImage;
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
 * <p>The rectangle is copied into native memory that the cropper keeps from crop to crop and
 * resized there into a kept output. A decoded frame's rows go in as they are, in BGR order, and the
 * output's red and blue are swapped afterwards (area interpolation treats each channel alone, so
 * this equals resizing the RGB rectangle, byte for byte). Not thread-safe: one per task thread.
 */
public final class FaceCropper {
  private final int size;
  private final int margin;
  /** The rectangle's bytes (a decoded frame's in BGR order, others RGB), grown when a larger one comes. */
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
    int row = 3 * w;
    if (region == null || region.capacity() < (long) row * h) {
      if (region != null) region.close();
      region = new BytePointer((long) row * h);
    }
    RgbBytes.Bgr bgr = RgbBytes.bgr(frame);
    if (bgr != null) {
      for (int y = 0; y < h; y++) region.position((long) y * row).put(bgr.data(), bgr.at(r[0], r[1] + y), row);
    } else {
      region.position(0).put(RgbBytes.of(frame, r[0], r[1], w, h));
    }
    region.position(0);
    try (Mat src = new Mat(h, w, opencv_core.CV_8UC3, region)) {
      resize(src, resized, output, 0, 0, INTER_AREA);
    }
    byte[] out = new byte[size * size * 3];
    resized.data().get(out);
    if (bgr != null) {
      for (int i = 0; i < out.length; i += 3) {
        byte blue = out[i];
        out[i] = out[i + 2];
        out[i + 2] = blue;
      }
    }
    return out;
  }
}
