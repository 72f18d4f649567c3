package ai.mesm.media;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes the audio track of any file FFmpeg opens (wav, mp4, avi) to float samples, resampled
 * by FFmpeg to the requested rate, either mixed down to mono or with its channels kept apart.
 */
public final class AudioDecoder {
  static {
    FfmpegLog.errorsOnly();
  }

  private AudioDecoder() {}

  /** @return one array per channel (one array when {@code mono}); empty arrays when there is no audio */
  public static float[][] decode(Path file, int sampleRate, boolean mono) throws FrameGrabber.Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setSampleRate(sampleRate);
      g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
      if (mono) g.setAudioChannels(1);
      g.start();
      int channels = Math.max(1, g.getAudioChannels());
      if (g.getAudioStream() < 0) return new float[channels][0];
      float[][] out = new float[channels][1 << 16];
      int n = 0;
      Frame frame;
      while ((frame = g.grabSamples()) != null) {
        Buffer[] samples = frame.samples;
        if (samples == null) continue;
        if (samples.length == 1) {
          FloatBuffer interleaved = (FloatBuffer) samples[0];
          int frames = interleaved.remaining() / channels;
          out = ensure(out, n + frames);
          for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) out[c][n + i] = interleaved.get();
          }
          n += frames;
        } else {
          int frames = samples[0].remaining();
          out = ensure(out, n + frames);
          for (int c = 0; c < channels && c < samples.length; c++) {
            ((FloatBuffer) samples[c]).get(out[c], n, frames);
          }
          n += frames;
        }
      }
      for (int c = 0; c < channels; c++) out[c] = java.util.Arrays.copyOf(out[c], n);
      return out;
    }
  }

  private static float[][] ensure(float[][] out, int size) {
    if (out[0].length >= size) return out;
    int capacity = Math.max(size, out[0].length * 2);
    for (int c = 0; c < out.length; c++) out[c] = java.util.Arrays.copyOf(out[c], capacity);
    return out;
  }
}
