package ai.mesm.media;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Decodes a video once, front to back, and hands over the frame shown at each requested time,
 * using the frames' real presentation timestamps (not an assumed frame rate): for time t, the
 * first frame whose timestamp is at least t minus half a frame, i.e. the frame nearest to t.
 * Decoding stops after the last requested time.
 */
public final class FrameSampler {
  /** Receives the frame for request {@code index}; the image is reused after the call returns. */
  @FunctionalInterface
  public interface Sink {
    void accept(int index, double frameTimeS, BufferedImage frame);
  }

  /** Container facts, known once the file is open. */
  public record VideoInfo(double durationS, double fps, int width, int height) {}

  static {
    FfmpegLog.errorsOnly();
  }

  private FrameSampler() {}

  /** Opens the file and reads its header only. */
  public static VideoInfo probe(Path video) throws FrameGrabber.Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
      g.start();
      return info(g);
    }
  }

  /**
   * @param times requested times in seconds, in any order
   * @return the container facts; requests past the last frame get no call
   */
  public static VideoInfo sample(Path video, double[] times, Sink sink) throws FrameGrabber.Exception {
    Integer[] order = new Integer[times.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(times[a], times[b]));
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
         Java2DFrameConverter converter = new Java2DFrameConverter()) {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      g.start();
      VideoInfo info = info(g);
      double halfFrame = 0.5 / (info.fps() > 0 ? info.fps() : 30);
      int next = 0;
      Frame frame;
      while (next < order.length && (frame = g.grabImage()) != null) {
        double ts = frame.timestamp / 1e6;
        if (ts < times[order[next]] - halfFrame) continue;
        BufferedImage image = converter.convert(frame);
        while (next < order.length && ts >= times[order[next]] - halfFrame) {
          sink.accept(order[next], ts, image);
          next++;
        }
      }
      return info;
    }
  }

  private static VideoInfo info(FFmpegFrameGrabber g) {
    return new VideoInfo(g.getLengthInTime() / 1e6, g.getFrameRate(), g.getImageWidth(), g.getImageHeight());
  }
}
