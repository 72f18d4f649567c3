package ai.mesm.corpus;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import ai.mesm.media.FfmpegLog;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

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
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private final int audioChannels;

  VideoWriter(Path file, Container container, int width, int height, double fps, int audioChannels, int audioRate)
      throws IOException {
    this.audioChannels = audioChannels;
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
      }
    }
    try {
      recorder.start();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("cannot start encoder for " + file + ": " + e.getMessage(), e);
    }
  }

  void frame(BufferedImage image) throws IOException {
    try {
      recorder.record(converter.convert(image));
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
    } finally {
      converter.close();
    }
  }
}
