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
    fixtures = ai.mesm.testing.RealData.mtcnnReference().getParent();
  }

  @Test
  void findsTheReferenceBoxOnTheAstronaut() throws Exception {
    JsonObject expected = JsonParser.parseString(Files.readString(fixtures.resolve("mtcnn/astronaut_expected.json")))
        .getAsJsonObject();
    JsonArray box = expected.getAsJsonArray("box_xyxy");
    FaceBox reference = new FaceBox(box.get(0).getAsFloat(), box.get(1).getAsFloat(), box.get(2).getAsFloat(),
        box.get(3).getAsFloat(), expected.get("prob").getAsFloat());
    BufferedImage image = ImageIO.read(fixtures.resolve("real/astronaut.png").toFile());
    try (MtcnnFaceDetector mtcnn = new MtcnnFaceDetector()) {
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

  /**
   * Looking only for faces of at least some size skips the fine pyramid levels and finds the same
   * largest face; asking for faces larger than any there falls back to the whole pyramid.
   */
  @Test
  void aSearchForLargeFacesSkipsTheFineLevelsAndFindsTheSameFace() throws Exception {
    BufferedImage image = ImageIO.read(fixtures.resolve("real/astronaut.png").toFile());
    try (MtcnnFaceDetector mtcnn = new MtcnnFaceDetector()) {
      FaceBox full = mtcnn.detectLargest(image).orElseThrow();
      long allLevels = mtcnn.levelsSearched();
      double side = Math.max(full.width(), full.height());
      FaceBox large = mtcnn.detectLargest(image, 0.7 * side).orElseThrow();
      long restricted = mtcnn.levelsSearched() - allLevels;
      assertEquals(full, large);
      assertTrue(restricted < allLevels, "the finest level, half of the work, is skipped: " + restricted + " of " + allLevels);
      long before = mtcnn.levelsSearched();
      assertEquals(full, mtcnn.detectLargest(image, 20 * side).orElseThrow(), "nothing that large: searched in full");
      assertTrue(mtcnn.levelsSearched() - before >= allLevels);
    }
  }

  /**
   * A detector keeps its networks' inputs and every layer's output from search to search (longer
   * than a later, smaller search needs, and holding its values): each search must still find what
   * a fresh detector finds on that frame, bit for bit, in full and near the previous face.
   */
  @Test
  void aDetectorReusingItsBuffersFindsWhatAFreshOneFinds() throws Exception {
    BufferedImage photo = ImageIO.read(fixtures.resolve("real/astronaut.png").toFile());
    BufferedImage small = scaled(photo, 0, 0, 256, 256);
    BufferedImage wide = scaled(photo, 300, 60, 420, 420); // the face elsewhere in a larger frame
    BufferedImage flat = scaled(null, 0, 0, 0, 0);
    try (MtcnnFaceDetector reused = new MtcnnFaceDetector()) {
      java.util.Optional<FaceBox> previous = java.util.Optional.empty();
      for (BufferedImage image : java.util.List.of(wide, small, flat, photo, small, wide)) {
        java.util.Optional<FaceBox> found = reused.detectLargest(image);
        try (MtcnnFaceDetector fresh = new MtcnnFaceDetector()) {
          assertEquals(fresh.detectLargest(image), found, "full search, " + image.getWidth());
        }
        if (previous.isPresent()) {
          try (MtcnnFaceDetector fresh = new MtcnnFaceDetector()) {
            assertEquals(fresh.detectNear(image, previous.get()), reused.detectNear(image, previous.get()),
                "near search, " + image.getWidth());
          }
        }
        previous = found;
      }
      assertTrue(reused.detectLargest(wide).isPresent() && reused.detectLargest(flat).isEmpty());
    }
  }

  /**
   * The shipped weights are read and laid out once per JVM and shared by every detector, each with
   * buffers of its own: two detectors searching on two threads at once find what one finds alone.
   */
  @Test
  void detectorsSharingTheShippedWeightsOnTwoThreadsFindWhatOneFindsAlone() throws Exception {
    BufferedImage photo = ImageIO.read(fixtures.resolve("real/astronaut.png").toFile());
    java.util.List<BufferedImage> images = java.util.List.of(scaled(photo, 300, 60, 420, 420),
        scaled(photo, 0, 0, 256, 256), scaled(photo, 100, 100, 300, 300), scaled(null, 0, 0, 0, 0));
    java.util.List<java.util.Optional<FaceBox>> alone = new java.util.ArrayList<>();
    try (MtcnnFaceDetector one = new MtcnnFaceDetector()) {
      for (BufferedImage image : images) alone.add(one.detectLargest(image));
    }
    assertTrue(alone.get(0).isPresent() && alone.get(3).isEmpty(), alone.toString());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<java.util.concurrent.Future<java.util.List<java.util.Optional<FaceBox>>>> runs = new java.util.ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int first = t; // the two threads go through the images in different orders
        runs.add(pool.submit(() -> {
          java.util.List<java.util.Optional<FaceBox>> found = new java.util.ArrayList<>(java.util.Collections.nCopies(images.size(), null));
          try (MtcnnFaceDetector d = new MtcnnFaceDetector()) {
            for (int round = 0; round < 5; round++) {
              for (int k = 0; k < images.size(); k++) {
                int i = (first + k) % images.size();
                java.util.Optional<FaceBox> f = d.detectLargest(images.get(i));
                if (found.get(i) != null && !found.get(i).equals(f)) throw new AssertionError("image " + i + " changed");
                found.set(i, f);
              }
            }
          }
          return found;
        }));
      }
      for (java.util.concurrent.Future<java.util.List<java.util.Optional<FaceBox>>> run : runs) assertEquals(alone, run.get());
    } finally {
      pool.shutdownNow();
    }
  }

  /** A 640×480 grey frame with {@code photo} drawn at (x, y) in w × h (none when null). */
  private static BufferedImage scaled(BufferedImage photo, int x, int y, int w, int h) {
    BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = frame.createGraphics();
    g.setColor(new java.awt.Color(128, 128, 128));
    g.fillRect(0, 0, 640, 480);
    if (photo != null) g.drawImage(photo, x, y, w, h, null);
    g.dispose();
    return frame;
  }

  @Test
  void findsNothingInAFlatImage() throws Exception {
    BufferedImage gray = new BufferedImage(200, 200, BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = gray.createGraphics();
    g.setColor(new java.awt.Color(128, 128, 128));
    g.fillRect(0, 0, 200, 200);
    g.dispose();
    try (MtcnnFaceDetector mtcnn = new MtcnnFaceDetector(ai.mesm.testing.RealData.mtcnnWeights())) {
      assertTrue(mtcnn.detectLargest(gray).isEmpty());
    }
  }

  @Test
  void theShippedWeightsNeedNoSetting() throws Exception {
    ai.mesm.media.MediaSettings defaults = ai.mesm.media.MediaSettings.from(ai.mesm.config.MesmConfig.defaults());
    assertTrue(defaults.mtcnnWeights().isBlank(), "no weights configured");
    assertEquals("auto", defaults.detector());
    assertEquals("mtcnn", defaults.effectiveDetector(), "the default detector is the paper's");
    BufferedImage image = ImageIO.read(fixtures.resolve("real/astronaut.png").toFile());
    try (FaceDetector detector = FaceDetectors.create(defaults, new org.apache.hadoop.conf.Configuration())) {
      assertInstanceOf(MtcnnFaceDetector.class, detector);
      assertTrue(detector.detectLargest(image).orElseThrow().score() > 0.99);
    }
  }

  /** The pooling's fast interior path against the definition, on sizes where the last window hangs over or is dropped. */
  @Test
  void ceilModePoolingEqualsItsDefinition() {
    java.util.Random random = new java.util.Random(3);
    for (int[] ks : new int[][] {{2, 2}, {3, 2}}) {
      for (int size : new int[] {5, 8, 9, 22, 23}) {
        int h = size;
        int w = size + 3;
        float[] in = new float[2 * 3 * h * w];
        for (int i = 0; i < in.length; i++) in[i] = (float) random.nextGaussian();
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.create(in, new long[] {2, 3, h, w}, 'c');
        float[] got = MtcnnNets.floats(MtcnnNets.maxPoolCeil(x, ks[0], ks[1]));
        int oh = MtcnnNets.pooledSize(h, ks[0], ks[1]);
        int ow = MtcnnNets.pooledSize(w, ks[0], ks[1]);
        assertEquals(6 * oh * ow, got.length);
        for (int b = 0; b < 6; b++) {
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              float m = Float.NEGATIVE_INFINITY;
              for (int y = i * ks[1]; y < Math.min(i * ks[1] + ks[0], h); y++) {
                for (int xx = j * ks[1]; xx < Math.min(j * ks[1] + ks[0], w); xx++) m = Math.max(m, in[(b * h + y) * w + xx]);
              }
              assertEquals(m, got[(b * oh + i) * ow + j], "k " + ks[0] + " size " + h + "x" + w + " at " + b + "," + i + "," + j);
            }
          }
        }
      }
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
    Path pnet = ai.mesm.testing.RealData.mtcnnWeights().resolve("pnet.safetensors");
    byte[] bytes = Files.readAllBytes(pnet);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> SafetensorsFile.read(truncated));
    assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    SafetensorsFile ok = SafetensorsFile.read(pnet);
    assertArrayEquals(new long[] {10, 3, 3, 3}, ok.get("conv1.weight").shape());
    assertTrue(assertThrows(java.io.IOException.class, () -> ok.get("conv9.weight")).getMessage().contains("no tensor conv9"));
  }

  @Test
  void detectionRunsOnOneNativeThreadAndRestoresTheThreadsSetting() {
    try (OneNativeThread first = new OneNativeThread()) {
      // opened first so that ND4J's backend is loaded before its native ops are reached here
    }
    org.nd4j.nativeblas.NativeOps ops = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
    int before = ops.ompGetMaxThreads();
    // The test JVM runs on one OpenMP thread (pom.xml); two here, so that the restore is seen, then
    // back, so that later tests on this thread compute with the same number of threads as before.
    ops.setOmpNumThreads(2);
    try {
      try (OneNativeThread one = new OneNativeThread()) {
        assertEquals(1, ops.ompGetMaxThreads());
      }
      assertEquals(2, ops.ompGetMaxThreads(), "the thread's own setting is back");
    } finally {
      ops.setOmpNumThreads(before);
    }
  }
}
