package ai.mesm.media;

import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.FaceBox;
import ai.mesm.media.face.FaceCropper;
import ai.mesm.media.face.FaceDetector;
import ai.mesm.media.face.FaceTracker;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts time windows of one video into what the models read (docs/computation.md#media): a frame every
 * frame-interval from the window's start, the largest face of each (in the window's half of the
 * frame for IEMOCAP's two-actor videos) cropped to size × size, and the mel spectrogram of the
 * window's audio in chunks. The one media path of ingest and of scoring: both call this.
 *
 * <p>Video and audio are each decoded once, front to back, and each window's cut is handed over
 * as soon as its frames and audio are complete ({@link CutStream}), so a task holds the media of
 * the windows in progress only, never a whole video, its whole audio track or all of its cuts.
 */
public final class SegmentCutter {
  private final MediaSettings settings;
  private final FaceDetector detector;
  private final MelSpectrogram mel;
  private final FaceCropper cropper;
  private final Peaks peaks = new Peaks();

  public SegmentCutter(MediaSettings settings, FaceDetector detector, MelSpectrogram mel) {
    this.settings = settings;
    this.detector = detector;
    this.mel = mel;
    this.cropper = new FaceCropper(settings.faceSize(), settings.faceMargin());
  }

  /**
   * @param side -1 = the whole frame and audio channel 0; 0 / 1 = the left / right half of the
   *             frame and that audio channel (IEMOCAP)
   */
  public record Window(double startS, double endS, int side) {}

  /**
   * A window's media. Frames past the end of the decodable video are absent (so nFrames can be
   * below the window's frame times); faceBoxes are x1, y1, x2, y2 in full-frame pixels, NaN
   * without a face. A window that {@link Coverage} finds outside the media or with too little
   * audio carries no mel chunks (nChunks 0).
   */
  public record Cut(int nFrames, double[] frameTimes, boolean[] faceFound, float[] faceBoxes, byte[] frames,
                    int nChunks, int melFrames, float[] mel, Coverage coverage) {}

  /** A cut and the position of its window in the list given to {@link #open}. */
  public record IndexedCut(int index, Cut cut) {}

  /**
   * The most media held at once by any stream this cutter opened: face crops of windows in
   * progress and audio samples per channel. What the memory promise rests on; read by tests.
   */
  public static final class Peaks {
    private int crops;
    private long audioSamples;

    public synchronized int crops() {
      return crops;
    }

    public synchronized long audioSamples() {
      return audioSamples;
    }

    synchronized void record(int heldCrops, long bufferedSamples) {
      crops = Math.max(crops, heldCrops);
      audioSamples = Math.max(audioSamples, bufferedSamples);
    }
  }

  /**
   * Opens the video and the audio track for streaming the windows' cuts, in the order they
   * complete (a window completes when the video has passed its last frame time). Close it.
   *
   * @param audio the file to take audio from (the video itself, or a separate wav)
   * @param mono  mix the audio down to one channel (else window sides pick channels)
   */
  public CutStream open(Path video, Path audio, boolean mono, List<Window> windows) throws IOException {
    FrameSampler frames = FrameSampler.open(video, settings.decodeThreads());
    try {
      // Whether a window lies outside the media must be known before it is cut; the audio's length
      // only matters for windows reaching past the video's duration, so it is counted only then.
      double mediaEnd = frames.info().durationS();
      double videoEnd = mediaEnd;
      if (windows.stream().anyMatch(w -> Coverage.outside(w, videoEnd))) {
        mediaEnd = Math.max(mediaEnd, AudioReader.countSeconds(audio, settings.sampleRate()));
      }
      return new CutStream(this, frames, AudioReader.open(audio, settings.sampleRate(), mono), windows, mediaEnd);
    } catch (IOException | RuntimeException e) {
      frames.close();
      throw e;
    }
  }

  /** Every window's cut, handed to {@code sink} as it completes. */
  public void cut(Path video, Path audio, boolean mono, List<Window> windows, Consumer<IndexedCut> sink)
      throws IOException {
    try (CutStream stream = open(video, audio, mono, windows)) {
      while (stream.hasNext()) sink.accept(stream.next());
    }
  }

  public Peaks peaks() {
    return peaks;
  }

  /** A tracker for one region of one video: its samples must be handed to it in time order. */
  FaceTracker tracker() {
    return new FaceTracker(detector, settings.fullSearchInterval());
  }

  MediaSettings settings() {
    return settings;
  }

  /**
   * The face crop of the window side's region of a frame, with its box in full-frame pixels.
   *
   * @param faces the tracker of this video's side, given the side's samples in time order
   * @param times where the face search and the crop's time are counted
   */
  Crop crop(BufferedImage frame, int side, double frameTimeS, FaceTracker faces, MediaTimes times) {
    BufferedImage region = side < 0 ? frame : half(frame, side);
    long t = System.nanoTime();
    FaceBox b = faces.next(region).orElse(null);
    times.add(MediaTimes.Step.DETECT, t);
    long c = System.nanoTime();
    float dx = side == 1 ? frame.getWidth() / 2f : 0;
    float[] box = b == null ? new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}
        : new float[] {b.x1() + dx, b.y1(), b.x2() + dx, b.y2()};
    Crop crop = new Crop(cropper.crop(region, b), box, frameTimeS);
    times.add(MediaTimes.Step.CROP, c);
    return crop;
  }

  /** Mel chunks of a window's samples, flattened chunk-major: {nChunks, melFrames} and the values. */
  MelChunks mel(float[] samples) {
    float[][] spectrogram = mel.compute(samples);
    List<float[]> chunks = MelSpectrogram.chunks(spectrogram, settings.chunkFrames());
    int chunkSize = settings.nMels() * settings.chunkFrames();
    float[] flat = new float[chunks.size() * chunkSize];
    for (int c = 0; c < chunks.size(); c++) System.arraycopy(chunks.get(c), 0, flat, c * chunkSize, chunkSize);
    return new MelChunks(chunks.size(), spectrogram[0].length, flat);
  }

  /** The fewest samples the mel spectrogram accepts (its reflect padding needs more than n_fft/2). */
  int minAudioSamples() {
    return settings.nFft() / 2 + 1;
  }

  void record(int heldCrops, long bufferedSamples) {
    peaks.record(heldCrops, bufferedSamples);
  }

  /**
   * One face crop, shared by every window slot that samples the same frame on the same side (the
   * crops would be identical, and overlapping windows must not multiply what is held).
   */
  static final class Crop {
    final byte[] pixels;
    final float[] box;
    final double frameTimeS;
    /** Window slots holding this crop; the stream lets go of it at 0. */
    int users;

    Crop(byte[] pixels, float[] box, double frameTimeS) {
      this.pixels = pixels;
      this.box = box;
      this.frameTimeS = frameTimeS;
    }
  }

  record MelChunks(int nChunks, int melFrames, float[] values) {}

  private static BufferedImage half(BufferedImage frame, int side) {
    int w = frame.getWidth() / 2;
    return frame.getSubimage(side == 0 ? 0 : w, 0, w, frame.getHeight());
  }
}
