package ai.mesm.media;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a video once, front to back, one frame per {@link #next()}, using the frames' real
 * presentation timestamps (not an assumed frame rate). The frame shown at time t is the first
 * frame whose timestamp is at least t minus half a frame, i.e. the frame nearest to t
 * ({@link #shows}). It also says where the decodable video ends ({@link #lastFrameS()}): a
 * truncated file often reports the duration of the whole file in its header, or the length of
 * what is left, so only decoding tells where its frames really stop.
 */
public final class FrameSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameSampler.class);

  /** Container facts, known once the file is open. */
  public record VideoInfo(double durationS, double fps, int width, int height) {}

  static {
    FfmpegLog.errorsOnly();
  }

  /**
   * JavaCV's FFmpegFrameGrabber.processImage() (private in 1.5.7, the pinned version): the
   * conversion of the decoded picture to BGR that grabImage() runs on every frame. The sampler
   * decodes every frame but shows a few (2 of ~30 per second), and that conversion was ~30 % of
   * decoding (720×480 and 1280×720), so frames are grabbed unconverted and the one asked for is
   * converted here, from the same decoded picture: the same pixels. Null when another JavaCV lacks
   * it; then every frame is converted as grabImage() does.
   */
  private static final Method CONVERT = convertMethod();

  private final FFmpegFrameGrabber grabber;
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private final VideoInfo info;
  private final double halfFrame;
  private final String name;
  private Frame frame;
  private BufferedImage image;
  private BufferedImage reused;
  private double timeS = Double.NaN;
  private boolean ended;

  private FrameSampler(FFmpegFrameGrabber grabber, String name) {
    this.grabber = grabber;
    this.name = name;
    this.info = info(grabber);
    this.halfFrame = 0.5 / (info.fps() > 0 ? info.fps() : 30);
  }

  /** Opens the file and reads its header only. */
  public static VideoInfo probe(Path video) throws FrameGrabber.Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
      g.start();
      return info(g);
    }
  }

  /**
   * Opens the file for decoding on {@code decodeThreads} FFmpeg threads (0 = FFmpeg's choice by the
   * machine's cores; mesm.media.decode-threads).
   */
  public static FrameSampler open(Path video, int decodeThreads) throws IOException {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
    try {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      decodeThreads(g, decodeThreads);
      g.start();
      return new FrameSampler(g, video.getFileName().toString());
    } catch (IOException | RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** FFmpeg's "threads" option of the video decoder: one grabber's decoding threads (0 = FFmpeg's choice). */
  public static void decodeThreads(FFmpegFrameGrabber grabber, int threads) {
    if (threads < 0) throw new IllegalArgumentException("decoding threads must be 0 (FFmpeg's choice) or more, was " + threads);
    grabber.setVideoOption("threads", Integer.toString(threads));
  }

  public VideoInfo info() {
    return info;
  }

  /**
   * Decodes the next frame.
   *
   * @return false at the end of the decodable stream (also when decoding breaks after the first frame)
   */
  public boolean next() throws IOException {
    if (ended) return false;
    try {
      frame = CONVERT == null ? grabber.grabImage() : grabber.grabFrame(false, true, false, false, false);
    } catch (FrameGrabber.Exception e) {
      if (Double.isNaN(timeS)) throw e;
      LOG.warn("{}: frames stop at {} s: {}", name, timeS, e.getMessage());
      frame = null;
    }
    image = null;
    if (frame == null) {
      ended = true;
      return false;
    }
    timeS = frame.timestamp / 1e6;
    return true;
  }

  /** Presentation time of the current frame; after the end, of the last decoded frame (NaN if none). */
  public double lastFrameS() {
    return timeS;
  }

  /** Whether the current frame is the one shown at time t (the first at or after t minus half a frame). */
  public boolean shows(double t) {
    return !ended && timeS >= t - halfFrame;
  }

  /** The current frame as an image, converted once; reused after the next call to {@link #next()}. */
  public BufferedImage image() throws IOException {
    if (image == null) {
      if (CONVERT != null) convert(); // once per frame: the image is kept until the next one
      image = bgrImage(frame);
    }
    return image;
  }

  /**
   * The decoded BGR24 picture as a TYPE_3BYTE_BGR image (the same bytes in the same order), row
   * by row in bulk into one image kept for the sampler's frames: JavaCV's Java2DFrameConverter
   * copies byte by byte through its gamma path, ~8 % of a streamed cut's Java time.
   */
  private BufferedImage bgrImage(Frame f) {
    if (f.imageChannels != 3 || f.imageDepth != Frame.DEPTH_UBYTE || !(f.image[0] instanceof ByteBuffer src)) {
      return converter.convert(f);
    }
    int w = f.imageWidth;
    int h = f.imageHeight;
    if (reused == null || reused.getWidth() != w || reused.getHeight() != h) {
      reused = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    }
    byte[] dst = ((DataBufferByte) reused.getRaster().getDataBuffer()).getData();
    int row = w * 3;
    for (int y = 0; y < h; y++) src.get(y * f.imageStride, dst, y * row, row);
    return reused;
  }

  private void convert() throws IOException {
    try {
      CONVERT.invoke(grabber);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IOException(name + ": cannot convert the frame at " + timeS + " s: " + cause.getMessage(), cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method convertMethod() {
    try {
      Method m = FFmpegFrameGrabber.class.getDeclaredMethod("processImage");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info("JavaCV without FFmpegFrameGrabber.processImage(): every decoded frame is converted ({})", e.toString());
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      grabber.close();
    } finally {
      converter.close();
    }
  }

  private static VideoInfo info(FFmpegFrameGrabber g) {
    return new VideoInfo(g.getLengthInTime() / 1e6, g.getFrameRate(), g.getImageWidth(), g.getImageHeight());
  }
}
