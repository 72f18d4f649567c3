package ai.mesm.media;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the audio track of any file FFmpeg opens (wav, mp4, avi) front to back, once, to float
 * samples resampled by FFmpeg to the requested rate, mixed down to mono or with its channels kept
 * apart. Only a sliding stretch of the track is kept: samples before {@link #discardBefore} are
 * dropped, so memory follows the longest window being cut, not the length of the track (a 2-hour
 * stereo track would be ~1 GB of floats).
 */
public final class AudioReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AudioReader.class);

  static {
    FfmpegLog.errorsOnly();
  }

  private final FFmpegFrameGrabber grabber;
  private final String name;
  private final int channels;
  private boolean ended;
  /** Absolute index of buffer[c][0], and how many samples per channel the buffer holds. */
  private long base;
  private int count;
  /** Samples before this absolute index are never kept. */
  private long keepFrom;
  private float[][] buffer;
  private long peakBuffered;

  private AudioReader(FFmpegFrameGrabber grabber, String name, int channels, boolean hasStream) {
    this.grabber = grabber;
    this.name = name;
    this.channels = channels;
    this.ended = !hasStream;
    this.buffer = new float[channels][1 << 14];
  }

  /** Opens the track; a file without an audio stream opens as an empty track. */
  public static AudioReader open(Path file, int sampleRate, boolean mono) throws IOException {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
    try {
      g.setSampleRate(sampleRate);
      g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
      if (mono) g.setAudioChannels(1);
      g.start();
      return new AudioReader(g, file.getFileName().toString(), Math.max(1, g.getAudioChannels()),
          g.getAudioStream() >= 0);
    } catch (IOException | RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** The track's length in seconds, from one decoding pass that keeps no samples (0 without audio). */
  public static double countSeconds(Path file, int sampleRate) throws IOException {
    try (AudioReader counter = open(file, sampleRate, true)) {
      counter.discardBefore(Long.MAX_VALUE);
      counter.fill(Long.MAX_VALUE);
      return counter.decoded() / (double) sampleRate;
    }
  }

  public int channels() {
    return channels;
  }

  /** Samples decoded so far per channel (absolute count from the start of the track). */
  public long decoded() {
    return base + count;
  }

  /** Whether the track has ended: {@link #decoded()} is then its length. */
  public boolean ended() {
    return ended;
  }

  /** Decodes until sample {@code end} (exclusive) is decoded or the track ends. */
  public void fill(long end) throws IOException {
    while (!ended && decoded() < end) {
      Frame frame;
      try {
        frame = grabber.grabSamples();
      } catch (FrameGrabber.Exception e) {
        if (decoded() == 0) throw e;
        // A damaged tail ends the track where it breaks; the windows after it are short of audio.
        LOG.warn("{}: audio stops at sample {}: {}", name, decoded(), e.getMessage());
        frame = null;
      }
      if (frame == null) {
        ended = true;
        break;
      }
      if (frame.samples != null) append(frame.samples);
    }
  }

  /** Samples [from, to) of one channel; {@code from} must not be before the kept stretch. */
  public float[] copy(int channel, long from, long to) {
    if (from < base) throw new IllegalArgumentException("sample " + from + " was discarded (kept from " + base + ")");
    int n = (int) Math.max(0, Math.min(to, decoded()) - from);
    float[] out = new float[n];
    System.arraycopy(buffer[channel], (int) (from - base), out, 0, n);
    return out;
  }

  /** Samples before {@code sample} will not be asked for again. */
  public void discardBefore(long sample) {
    keepFrom = Math.max(keepFrom, sample);
    int drop = (int) Math.min(count, Math.max(0, keepFrom - base));
    if (drop == 0) return;
    for (float[] c : buffer) System.arraycopy(c, drop, c, 0, count - drop);
    base += drop;
    count -= drop;
  }

  /** The most samples per channel held at once. */
  public long peakBuffered() {
    return peakBuffered;
  }

  private void append(Buffer[] samples) {
    int frames = samples.length == 1 ? samples[0].remaining() / channels : samples[0].remaining();
    // Samples before keepFrom are skipped as they arrive, so gaps between windows are never held.
    // (count is then 0: discardBefore emptied the buffer up to keepFrom.)
    int skip = (int) Math.min(frames, Math.max(0, keepFrom - decoded()));
    base += skip;
    int keep = frames - skip;
    ensureCapacity(count + keep);
    if (samples.length == 1) {
      FloatBuffer interleaved = (FloatBuffer) samples[0];
      int p = interleaved.position() + skip * channels;
      for (int i = 0; i < keep; i++) {
        for (int c = 0; c < channels; c++) buffer[c][count + i] = interleaved.get(p++);
      }
    } else {
      for (int c = 0; c < channels && c < samples.length; c++) {
        FloatBuffer planar = (FloatBuffer) samples[c];
        planar.get(planar.position() + skip, buffer[c], count, keep);
      }
    }
    count += keep;
    peakBuffered = Math.max(peakBuffered, count);
  }

  private void ensureCapacity(int size) {
    if (buffer[0].length >= size) return;
    int capacity = Math.max(size, buffer[0].length * 2);
    for (int c = 0; c < channels; c++) buffer[c] = java.util.Arrays.copyOf(buffer[c], capacity);
  }

  @Override
  public void close() throws IOException {
    grabber.close();
  }
}
