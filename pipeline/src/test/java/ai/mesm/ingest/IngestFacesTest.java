package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import ai.mesm.stage.IngestRunner;
import ai.mesm.testing.TestSpark;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Face crops through the whole ingest path: faceless frames, and MTCNN on real (photo) faces. */
class IngestFacesTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Path corpus(Path root, String... settings) throws Exception {
    Map<String, String> o = new java.util.HashMap<>(Map.of("corpus.size", "2", "corpus.layouts", "[mosei]",
        "corpus.mosei.clips-per-video", "2", "corpus.mosei.defects", "false", "corpus.mosei.missing-wav-fraction", "0",
        "corpus.min-utterance-s", "1.2", "corpus.max-utterance-s", "1.6"));
    for (int i = 0; i < settings.length; i += 2) o.put(settings[i], settings[i + 1]);
    new SyntheticCorpusGenerator(CorpusSettings.from(ConfigLoader.load(List.of(), o))).generate(root);
    return root;
  }

  private static List<Row> ingest(Path corpus, Path out, String... settings) throws Exception {
    Map<String, String> o = new java.util.HashMap<>(Map.of("dataset", "mosei", "paths.input", corpus.toString(),
        "paths.ingest", out.toString()));
    for (int i = 0; i < settings.length; i += 2) o.put(settings[i], settings[i + 1]);
    IngestReport report = IngestRunner.run(spark, ConfigLoader.load(List.of(), o));
    assertTrue(report.balanced(), report.render());
    return spark.read().parquet(out.resolve("utterances").toString()).collectAsList();
  }

  @Test
  void facelessFramesGetTheCentredCropAndAreFlagged() throws Exception {
    Path root = corpus(dir.resolve("faceless"));
    Path mp4 = Files.list(root.resolve("CMU_MOSEI/Videos/Full/Combined")).findFirst().orElseThrow();
    double seconds;
    try (var g = new org.bytedeco.javacv.FFmpegFrameGrabber(mp4.toFile())) {
      g.start();
      seconds = g.getLengthInTime() / 1e6;
    }
    // The same video as an empty grey room: no face anywhere.
    BufferedImage grey = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = grey.createGraphics();
    g.setColor(new Color(128, 128, 128));
    g.fillRect(0, 0, 320, 240);
    g.dispose();
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(mp4.toFile(), 320, 240, 0);
         Java2DFrameConverter c = new Java2DFrameConverter()) {
      r.setFormat("mp4");
      r.setVideoCodecName("libopenh264");
      r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      r.setFrameRate(25);
      r.start();
      for (int i = 0; i < seconds * 25 + 2; i++) r.record(c.convert(grey));
      r.stop();
    }
    String video = mp4.getFileName().toString().replace(".mp4", "");
    List<Row> rows = ingest(root, dir.resolve("faceless-out"), "media.face.detector", "opencv");
    List<Row> faceless = rows.stream().filter(r -> r.<String>getAs("source_id").equals(video)).toList();
    assertEquals(2, faceless.size());
    for (Row r : faceless) {
      int n = r.getAs("n_frames");
      assertTrue(n >= 3, "frames " + n);
      assertTrue(r.<Boolean>getList(r.fieldIndex("face_found")).stream().noneMatch(b -> b));
      assertTrue(r.<Float>getList(r.fieldIndex("face_boxes")).stream().allMatch(f -> f.isNaN()));
      // Grey 128 comes back as ~124 after the YUV 4:2:0 round trip of the encoder.
      for (byte b : (byte[]) r.getAs("frames")) assertEquals(128, b & 0xff, 8.0);
    }
  }

  @Test
  void mtcnnFindsThePhotographedFacesDuringIngest() throws Exception {
    Path root = corpus(dir.resolve("photo"), "corpus.face-photo", ai.mesm.testing.RealData.photo().toString());
    List<Row> rows = ingest(root, dir.resolve("photo-out"), "media.face.mtcnn.weights",
        ai.mesm.testing.RealData.mtcnnWeights().toString());
    int frames = 0;
    int found = 0;
    for (Row r : rows) {
      assertEquals("mtcnn", r.getAs("face_detector"), "auto picks mtcnn when weights are configured");
      List<Boolean> f = r.getList(r.fieldIndex("face_found"));
      List<Float> boxes = r.getList(r.fieldIndex("face_boxes"));
      for (int k = 0; k < f.size(); k++) {
        frames++;
        if (!f.get(k)) continue;
        found++;
        double cx = (boxes.get(4 * k) + boxes.get(4 * k + 2)) / 2;
        assertEquals(160, cx, 40, "the face is in the middle of the 320-px frame");
      }
    }
    assertTrue(frames > 0 && found >= 0.9 * frames, found + " of " + frames + " frames with a face");
  }
}
