package ai.mesm.media.face;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * OpenCV's frontal-face Haar cascade, loaded from inside the OpenCV jar so that it works with no
 * extra files. Not thread-safe (OpenCV's classifier is not): one instance per thread.
 */
public final class OpenCvFaceDetector implements FaceDetector {
  private static final String CASCADE =
      "org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/haarcascade_frontalface_alt.xml";

  private final CascadeClassifier classifier;
  private final int minSide;

  public OpenCvFaceDetector() {
    this(20);
  }

  /** @param minSide smallest face side in pixels worth reporting */
  public OpenCvFaceDetector(int minSide) {
    this.minSide = minSide;
    URL url = OpenCvFaceDetector.class.getClassLoader().getResource(CASCADE);
    if (url == null) throw new IllegalStateException("OpenCV jar without " + CASCADE + " on the classpath");
    try {
      File file = Loader.cacheResource(url);
      classifier = new CascadeClassifier(file.getAbsolutePath());
    } catch (IOException e) {
      throw new IllegalStateException("cannot unpack " + CASCADE + ": " + e.getMessage(), e);
    }
    if (classifier.empty()) throw new IllegalStateException("OpenCV could not load " + CASCADE);
  }

  @Override
  public Optional<FaceBox> detectLargest(BufferedImage image) {
    return largestFace(image, minSide).map(r -> new FaceBox(r.x, r.y, r.x + r.width, r.y + r.height, 1f));
  }

  private static final java.util.Comparator<Rectangle> LARGEST_THEN_LEFTMOST =
      java.util.Comparator.<Rectangle>comparingLong(r -> (long) r.width * r.height)
          .thenComparing(r -> -r.x, java.util.Comparator.naturalOrder())
          .thenComparing(r -> -r.y, java.util.Comparator.naturalOrder());

  /** The largest face of at least {@code minSide} pixels, if any. */
  public Optional<Rectangle> largestFace(BufferedImage image, int minSide) {
    int w = image.getWidth();
    int h = image.getHeight();
    try (BytePointer pixels = new BytePointer(RgbBytes.of(image, 0, 0, w, h));
         Mat color = new Mat(h, w, opencv_core.CV_8UC3, pixels); Mat gray = new Mat(); RectVector faces = new RectVector()) {
      cvtColor(color, gray, COLOR_RGB2GRAY);
      equalizeHist(gray, gray);
      classifier.detectMultiScale(gray, faces, 1.1, 3, 0, new Size(minSide, minSide), new Size());
      // OpenCV lists its faces in an order its threads decide: equal sizes (two actors side by
      // side) are settled by position, so that the same frame always gives the same face.
      Rectangle best = null;
      for (long i = 0; i < faces.size(); i++) {
        Rect r = faces.get(i);
        Rectangle c = new Rectangle(r.x(), r.y(), r.width(), r.height());
        if (best == null || LARGEST_THEN_LEFTMOST.compare(c, best) > 0) best = c;
      }
      return Optional.ofNullable(best);
    }
  }

  @Override
  public void close() {
    classifier.close();
  }
}
