package ai.mesm.corpus;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import ai.mesm.media.FfmpegLog;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes frames (and optionally audio) with FFmpeg through JavaCV, in the containers and codecs
 * of the real releases: IEMOCAP's DivX AVI (MPEG-4 Part 2) and MOSEI's MP4 (H.264 + AAC).
 * Encoding is single-threaded so that the same input gives the same file.
 */
final class VideoWriter implements AutoCloseable {
  enum Container { DIVX_AVI, H264_AAC_MP4 }

  static {
    FfmpegLog.errorsOnly();
  }

  private final FFmpegFrameRecorder recorder;
  private final int width;
  private final int height;
  private final int audioChannels;
  /** Handed to the encoder each frame (direct, so FFmpeg reads it in place). */
  private final ByteBuffer pixels;

  VideoWriter(Path file, Container container, int width, int height, double fps, int audioChannels, int audioRate)
      throws IOException {
    this.width = width;
    this.height = height;
    this.audioChannels = audioChannels;
    pixels = ByteBuffer.allocateDirect(width * height * 3);
    recorder = new FFmpegFrameRecorder(file.toFile(), width, height, audioChannels);
    recorder.setFrameRate(fps);
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    recorder.setVideoOption("threads", "1");
    recorder.setGopSize(30);
    if (container == Container.DIVX_AVI) {
      recorder.setFormat("avi");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setVideoQuality(3);
    } else {
      recorder.setFormat("mp4");
      // The LGPL FFmpeg build bundled with JavaCV encodes H.264 with OpenH264 (docs/stack.md).
      recorder.setVideoCodecName("libopenh264");
      recorder.setVideoBitrate(600_000);
      if (audioChannels > 0) {
        recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
        recorder.setSampleRate(audioRate);
        recorder.setAudioBitrate(96_000);
        recorder.setAudioOption("threads", "1");
        recorder.setAudioOption("aac_coder", "fast");
      }
    }
    try {
      recorder.start();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("cannot start encoder for " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * One frame, drawn at the size given to the constructor as TYPE_3BYTE_BGR (what the generators
   * draw). Its bytes go to the encoder in one bulk copy: JavaCV's Java2DFrameConverter copies them
   * byte by byte through its gamma path, which took as long as encoding the frame.
   */
  void frame(BufferedImage image) throws IOException {
    byte[] bgr = packedBgr(image);
    pixels.clear();
    pixels.put(bgr).flip();
    try {
      recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_BGR24, pixels);
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("video encoding failed: " + e.getMessage(), e);
    }
  }

  /** Interleaved samples (frames × channels) at the rate given to the constructor. */
  void samples(int rate, float[] interleaved) throws IOException {
    if (interleaved.length == 0) return;
    try {
      recorder.recordSamples(rate, audioChannels, FloatBuffer.wrap(interleaved));
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("audio encoding failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      recorder.stop();
      recorder.release();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("cannot finish video: " + e.getMessage(), e);
    }
  }

  private byte[] packedBgr(BufferedImage image) {
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR || image.getWidth() != width || image.getHeight() != height
        || !(image.getSampleModel() instanceof PixelInterleavedSampleModel m) || m.getScanlineStride() != width * 3
        || image.getRaster().getSampleModelTranslateX() != 0 || image.getRaster().getSampleModelTranslateY() != 0) {
      throw new IllegalArgumentException("frames must be whole " + width + "x" + height + " TYPE_3BYTE_BGR images, got "
          + image);
    }
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }
}
