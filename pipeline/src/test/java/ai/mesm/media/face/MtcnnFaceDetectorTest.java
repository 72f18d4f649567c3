package ai.mesm.media.face;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.io.SafetensorsFile;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MTCNN against the reference implementation's output on the astronaut photo (test fixtures). */
class MtcnnFaceDetectorTest {
  static Path fixtures;

  @BeforeAll
  static void locate() {
    fixtures = ai.mesm.testing.RealData.mtcnn().getParent();
  }

  @Test
  void findsTheReferenceBoxOnTheAstronaut() throws Exception {
    JsonObject expected = JsonParser.parseString(Files.readString(fixtures.resolve("mtcnn/astronaut_expected.json")))
        .getAsJsonObject();
    JsonArray box = expected.getAsJsonArray("box_xyxy");
    FaceBox reference = new FaceBox(box.get(0).getAsFloat(), box.get(1).getAsFloat(), box.get(2).getAsFloat(),
        box.get(3).getAsFloat(), expected.get("prob").getAsFloat());
    BufferedImage image = ImageIO.read(fixtures.resolve("real/astronaut.png").toFile());
    try (MtcnnFaceDetector mtcnn = new MtcnnFaceDetector(fixtures.resolve("mtcnn"))) {
      long t0 = System.nanoTime();
      FaceBox found = mtcnn.detectLargest(image).orElseThrow(() -> new AssertionError("no face found"));
      System.out.printf("MTCNN on 512x512: %s vs reference %s in %.0f ms%n", found, reference,
          (System.nanoTime() - t0) / 1e6);
      assertTrue(found.iou(reference) >= 0.9, "IoU " + found.iou(reference) + ": " + found + " vs " + reference);
      assertTrue(found.score() > 0.99, "probability " + found.score());
      // The crop made from it matches the reference crop.
      byte[] crop = new FaceCropper(48, 2).crop(image, found);
      double[] mean = new double[3];
      for (int i = 0; i < crop.length; i++) mean[i % 3] += (crop[i] & 0xff) / (48.0 * 48.0);
      JsonArray refMean = expected.getAsJsonArray("crop_mean_rgb");
      for (int c = 0; c < 3; c++) assertEquals(refMean.get(c).getAsDouble(), mean[c], 3.0, "mean of channel " + c);
      BufferedImage refCrop = ImageIO.read(fixtures.resolve("mtcnn/astronaut_face48.png").toFile());
      double diff = 0;
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 48; x++) {
          int p = refCrop.getRGB(x, y);
          int o = (y * 48 + x) * 3;
          diff += Math.abs(((p >> 16) & 0xff) - (crop[o] & 0xff)) + Math.abs(((p >> 8) & 0xff) - (crop[o + 1] & 0xff))
              + Math.abs((p & 0xff) - (crop[o + 2] & 0xff));
        }
      }
      assertTrue(diff / (48 * 48 * 3) < 8, "mean absolute difference to the reference crop " + diff / (48 * 48 * 3));
    }
  }

  @Test
  void findsNothingInAFlatImage() throws Exception {
    BufferedImage gray = new BufferedImage(200, 200, BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = gray.createGraphics();
    g.setColor(new java.awt.Color(128, 128, 128));
    g.fillRect(0, 0, 200, 200);
    g.dispose();
    try (MtcnnFaceDetector mtcnn = new MtcnnFaceDetector(fixtures.resolve("mtcnn"))) {
      assertTrue(mtcnn.detectLargest(gray).isEmpty());
    }
  }

  @Test
  void ceilModePoolingKeepsTheOverhangingWindow() {
    assertEquals(11, MtcnnNets.pooledSize(22, 3, 2));
    assertEquals(4, MtcnnNets.pooledSize(9, 3, 2));
    assertEquals(4, MtcnnNets.pooledSize(8, 2, 2));
    assertEquals(5, MtcnnNets.pooledSize(9, 2, 2));
  }

  @Test
  void safetensorsErrorsNameTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path truncated = dir.resolve("pnet.safetensors");
    byte[] bytes = Files.readAllBytes(fixtures.resolve("mtcnn/pnet.safetensors"));
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> SafetensorsFile.read(truncated));
    assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    SafetensorsFile ok = SafetensorsFile.read(fixtures.resolve("mtcnn/pnet.safetensors"));
    assertArrayEquals(new long[] {10, 3, 3, 3}, ok.get("conv1.weight").shape());
    assertTrue(assertThrows(java.io.IOException.class, () -> ok.get("conv9.weight")).getMessage().contains("no tensor conv9"));
  }
}
