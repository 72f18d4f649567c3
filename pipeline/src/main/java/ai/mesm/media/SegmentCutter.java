package ai.mesm.media;

import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.FaceBox;
import ai.mesm.media.face.FaceCropper;
import ai.mesm.media.face.FaceDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cuts time windows of one decoded video into what the models read (SPEC §2): a frame every
 * frame-interval from the window's start, the largest face of each (in the window's half of the
 * frame for IEMOCAP's two-actor videos) cropped to size × size, and the mel spectrogram of the
 * window's audio in chunks. The one media path of ingest and of scoring: both call this.
 */
public final class SegmentCutter {
  private final MediaSettings settings;
  private final FaceDetector detector;
  private final MelSpectrogram mel;
  private final FaceCropper cropper;

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
   * A window's media. Frames past the end of the video are absent (so nFrames can be below the
   * window's frame times); faceBoxes are x1, y1, x2, y2 in full-frame pixels, NaN without a face.
   */
  public record Cut(int nFrames, double[] frameTimes, boolean[] faceFound, float[] faceBoxes, byte[] frames,
                    int nChunks, int melFrames, float[] mel) {}

  /** The windows' media, in their order; the video is decoded once for all of them. */
  public List<Cut> cut(Path video, float[][] audio, List<Window> windows) throws IOException {
    int faceBytes = settings.faceSize() * settings.faceSize() * 3;
    List<double[]> times = new ArrayList<>();
    int total = 0;
    for (Window w : windows) {
      double[] t = settings.frameTimes(w.startS(), w.endS());
      times.add(t);
      total += t.length;
    }
    double[] all = new double[total];
    int[] owner = new int[total];
    for (int i = 0, k = 0; i < windows.size(); i++) {
      for (int j = 0; j < times.get(i).length; j++, k++) {
        all[k] = times.get(i)[j];
        owner[k] = i;
      }
    }
    byte[][] crops = new byte[total][];
    float[][] boxes = new float[total][];
    double[] shown = new double[total];
    FrameSampler.sample(video, all, (index, frameTime, frame) -> {
      Window w = windows.get(owner[index]);
      BufferedImage region = w.side() < 0 ? frame : half(frame, w.side());
      Optional<FaceBox> face = detector.detectLargest(region);
      crops[index] = cropper.crop(region, face.orElse(null));
      FaceBox b = face.orElse(null);
      float dx = w.side() == 1 ? frame.getWidth() / 2f : 0;
      boxes[index] = b == null ? new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}
          : new float[] {b.x1() + dx, b.y1(), b.x2() + dx, b.y2()};
      shown[index] = frameTime;
    });
    List<Cut> cuts = new ArrayList<>();
    for (int i = 0, k = 0; i < windows.size(); i++) {
      Window w = windows.get(i);
      int n = 0;
      for (int j = 0; j < times.get(i).length; j++) if (crops[k + j] != null) n++;
      byte[] frames = new byte[n * faceBytes];
      double[] frameTimes = new double[n];
      boolean[] found = new boolean[n];
      float[] faceBoxes = new float[n * 4];
      for (int j = 0, f = 0; j < times.get(i).length; j++, k++) {
        if (crops[k] == null) continue; // the video ended before this time
        System.arraycopy(crops[k], 0, frames, f * faceBytes, faceBytes);
        frameTimes[f] = shown[k];
        found[f] = !Float.isNaN(boxes[k][0]);
        System.arraycopy(boxes[k], 0, faceBoxes, f * 4, 4);
        f++;
      }
      float[][] spectrogram = mel.compute(samples(audio[w.side() < 0 ? 0 : Math.min(w.side(), audio.length - 1)], w));
      List<float[]> chunks = MelSpectrogram.chunks(spectrogram, settings.chunkFrames());
      float[] flat = new float[chunks.size() * settings.nMels() * settings.chunkFrames()];
      for (int c = 0; c < chunks.size(); c++) {
        System.arraycopy(chunks.get(c), 0, flat, c * chunks.get(c).length, chunks.get(c).length);
      }
      cuts.add(new Cut(n, frameTimes, found, faceBoxes, frames, chunks.size(), spectrogram[0].length, flat));
    }
    return cuts;
  }

  /** Audio samples of a window on one channel (what the mel spectrogram is computed from). */
  public int samplesIn(double startS, double endS, int length) {
    int from = (int) Math.round(startS * settings.sampleRate());
    int to = (int) Math.min(length, Math.round(endS * settings.sampleRate()));
    return Math.max(0, to - from);
  }

  private float[] samples(float[] channel, Window w) {
    int from = (int) Math.round(w.startS() * settings.sampleRate());
    int to = (int) Math.min(channel.length, Math.round(w.endS() * settings.sampleRate()));
    return Arrays.copyOfRange(channel, from, Math.max(from, to));
  }

  private static BufferedImage half(BufferedImage frame, int side) {
    int w = frame.getWidth() / 2;
    return frame.getSubimage(side == 0 ? 0 : w, 0, w, frame.getHeight());
  }
}
