package ai.mesm.media;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.testing.SharedCorpus;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sampler decodes every frame but converts to BGR only the frames it is asked for: those must
 * be, byte for byte, what converting every frame (JavaCV's grabImage) gives, in both releases'
 * containers, whichever frames are asked for and whether or not the frames between were, and
 * whatever number of threads either decoder runs on (mesm.media.decode-threads).
 */
class FrameSamplerTest {
  @ParameterizedTest(name = "sampler on {0} decoding thread(s) (0 = FFmpeg's choice)")
  @ValueSource(ints = {1, 0})
  void framesConvertedOnDemandEqualFramesConvertedOnDecode(int decodeThreads) throws Exception {
    Path corpus = SharedCorpus.root();
    for (String suffix : List.of(".avi", ".mp4")) {
      Path video = first(corpus, suffix);
      int compared = 0;
      try (FFmpegFrameGrabber every = new FFmpegFrameGrabber(video.toFile());
           Java2DFrameConverter converter = new Java2DFrameConverter();
           FrameSampler sampler = FrameSampler.open(video, decodeThreads)) {
        every.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        FrameSampler.decodeThreads(every, 3); // frame-threaded: the same pictures as one thread's
        every.start();
        for (int k = 0; ; k++) {
          Frame f = every.grabImage();
          boolean more = sampler.next();
          assertEquals(f != null, more, video + " frame " + k);
          if (f == null) break;
          assertEquals(f.timestamp / 1e6, sampler.lastFrameS(), 1e-9, video + " frame " + k);
          // Every 7th frame, and a run of three in a row: asked-for frames after skipped ones and after asked-for ones.
          if (k % 7 == 0 || k == 10 || k == 11 || k == 12) {
            byte[] expected = pixels(converter.convert(f));
            assertArrayEquals(expected, pixels(sampler.image()), video + " frame " + k);
            assertSame(sampler.image(), sampler.image(), "converted once per frame");
            compared++;
          }
        }
      }
      assertTrue(compared >= 10, video + ": " + compared + " frames compared");
    }
  }

  private static byte[] pixels(BufferedImage image) {
    assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType());
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData().clone();
  }

  /** The first decodable video of the layout (the shared corpus also holds a corrupt MOSEI file). */
  private static Path first(Path corpus, String suffix) throws Exception {
    try (Stream<Path> s = Files.walk(corpus)) {
      for (Path p : s.filter(p -> p.toString().endsWith(suffix)).sorted().toList()) {
        try {
          FrameSampler.probe(p);
          return p;
        } catch (Exception corrupt) {
          // next one
        }
      }
    }
    throw new AssertionError("no decodable " + suffix + " under " + corpus);
  }
}
