package ai.mesm.media;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import ai.mesm.media.face.OpenCvFaceDetector;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The native parts the build ships load on this machine: ND4J's chosen CPU build and OpenCV's cascade. */
class NativeStackTest {

  @Test
  void nd4jRunsOnTheConfiguredNativeBuild() {
    INDArray a = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
    INDArray b = a.mmul(a);
    assertArrayEquals(new double[] {7, 10, 15, 22}, b.data().asDouble(), 1e-12);
    String classifier = System.getProperty("nd4j.classifier", "");
    if (classifier.isEmpty() || classifier.equals("linux-x86_64")) return;
    String libraries = Loader.getLoadedLibraries().toString();
    assertTrue(libraries.contains(classifier), "expected the " + classifier + " build of libnd4jcpu, loaded: " + libraries);
  }

  @Test
  void haarCascadeFindsTheRealFaceInTheSharedPhoto() throws Exception {
    Path photo = ai.mesm.testing.RealData.photo();
    BufferedImage image = ImageIO.read(photo.toFile());
    try (OpenCvFaceDetector finder = new OpenCvFaceDetector()) {
      var face = finder.largestFace(image, 24).orElseThrow();
      // The reference MTCNN box is (181, 62)-(268, 172): the cascade's box must sit on the same face.
      double cx = face.getCenterX();
      double cy = face.getCenterY();
      assertTrue(cx > 181 && cx < 268 && cy > 62 && cy < 172, "face box " + face);
    }
  }

  /** The cascade reads a decoded frame's bytes directly, and any other image through getRGB: the same face. */
  @Test
  void haarCascadeFindsTheSameFaceWhateverTheImageType() throws Exception {
    BufferedImage bgr = ImageIO.read(ai.mesm.testing.RealData.photo().toFile());
    assertEquals(BufferedImage.TYPE_3BYTE_BGR, bgr.getType());
    BufferedImage rgb = new BufferedImage(bgr.getWidth(), bgr.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(bgr, 0, 0, null);
    // A frame's half, as the cutter hands IEMOCAP's actors over: a view into the frame's raster.
    BufferedImage wide = new BufferedImage(bgr.getWidth() * 2, bgr.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    wide.getGraphics().drawImage(bgr, bgr.getWidth(), 0, null);
    BufferedImage right = wide.getSubimage(bgr.getWidth(), 0, bgr.getWidth(), bgr.getHeight());
    try (OpenCvFaceDetector finder = new OpenCvFaceDetector()) {
      var face = finder.largestFace(bgr, 24).orElseThrow();
      assertEquals(face, finder.largestFace(rgb, 24).orElseThrow());
      assertEquals(face, finder.largestFace(right, 24).orElseThrow());
    }
  }

  @Test
  void haarCascadeFindsNoFaceInAnEmptyImage() {
    try (OpenCvFaceDetector finder = new OpenCvFaceDetector()) {
      assertTrue(finder.largestFace(new BufferedImage(200, 200, BufferedImage.TYPE_3BYTE_BGR), 24).isEmpty());
    }
  }
}
