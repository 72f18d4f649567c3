package ai.mesm.media;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * The cut as it was made before streaming, kept as the reference the streamed cuts must equal:
 * the whole audio track decoded into memory, every window's frame requests sorted and served in
 * one pass over the video, each request cropped on its own. Windows must lie inside the media.
 */
final class WholeTrackCutter {
  private WholeTrackCutter() {}

  record Expected(int nFrames, double[] frameTimes, boolean[] faceFound, float[] faceBoxes, byte[] frames, int nChunks,
                  int melFrames, float[] mel) {}

  static List<Expected> cut(SegmentCutter cutter, Path video, Path audioFile, boolean mono,
                            List<SegmentCutter.Window> windows) throws Exception {
    MediaSettings s = cutter.settings();
    float[][] audio = decode(audioFile, s.sampleRate(), mono);
    List<double[]> times = new ArrayList<>();
    List<double[]> all = new ArrayList<>(); // {time, window, slot}
    for (int i = 0; i < windows.size(); i++) {
      double[] t = s.frameTimes(windows.get(i).startS(), windows.get(i).endS());
      times.add(t);
      for (int k = 0; k < t.length; k++) all.add(new double[] {t[k], i, k});
    }
    all.sort((a, b) -> Double.compare(a[0], b[0]));
    SegmentCutter.Crop[][] crops = new SegmentCutter.Crop[windows.size()][];
    for (int i = 0; i < windows.size(); i++) crops[i] = new SegmentCutter.Crop[times.get(i).length];
    ai.mesm.media.face.FaceTracker[] faces = new ai.mesm.media.face.FaceTracker[3];
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile()); Java2DFrameConverter c = new Java2DFrameConverter()) {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      g.start();
      double half = 0.5 / (g.getFrameRate() > 0 ? g.getFrameRate() : 30);
      int next = 0;
      Frame frame;
      while (next < all.size() && (frame = g.grabImage()) != null) {
        double ts = frame.timestamp / 1e6;
        if (ts < all.get(next)[0] - half) continue;
        var image = c.convert(frame);
        while (next < all.size() && ts >= all.get(next)[0] - half) {
          double[] r = all.get(next++);
          int w = (int) r[1];
          int side = windows.get(w).side();
          // One tracker per side, as in the stream; shared crops are cropped again, which a
          // tracker sees as a sample repeated.
          if (faces[side + 1] == null) faces[side + 1] = cutter.tracker();
          crops[w][(int) r[2]] = cutter.crop(image, side, ts, faces[side + 1], new MediaTimes());
        }
      }
    }
    int faceBytes = s.faceSize() * s.faceSize() * 3;
    List<Expected> out = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      SegmentCutter.Window w = windows.get(i);
      int n = (int) Arrays.stream(crops[i]).filter(x -> x != null).count();
      byte[] frames = new byte[n * faceBytes];
      double[] frameTimes = new double[n];
      boolean[] found = new boolean[n];
      float[] boxes = new float[n * 4];
      for (int k = 0; k < n; k++) {
        System.arraycopy(crops[i][k].pixels, 0, frames, k * faceBytes, faceBytes);
        frameTimes[k] = crops[i][k].frameTimeS;
        found[k] = !Float.isNaN(crops[i][k].box[0]);
        System.arraycopy(crops[i][k].box, 0, boxes, k * 4, 4);
      }
      float[] channel = audio[w.side() < 0 ? 0 : Math.min(w.side(), audio.length - 1)];
      int from = (int) Math.round(w.startS() * s.sampleRate());
      int to = (int) Math.min(channel.length, Math.round(w.endS() * s.sampleRate()));
      SegmentCutter.MelChunks mel = cutter.mel(Arrays.copyOfRange(channel, from, Math.max(from, to)));
      out.add(new Expected(n, frameTimes, found, boxes, frames, mel.nChunks(), mel.melFrames(), mel.values()));
    }
    return out;
  }

  private static float[][] decode(Path file, int sampleRate, boolean mono) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setSampleRate(sampleRate);
      g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
      if (mono) g.setAudioChannels(1);
      g.start();
      int channels = Math.max(1, g.getAudioChannels());
      List<float[]> chunks = new ArrayList<>();
      int n = 0;
      Frame frame;
      while ((frame = g.grabSamples()) != null) {
        Buffer[] samples = frame.samples;
        if (samples == null) continue;
        int frames = samples.length == 1 ? samples[0].remaining() / channels : samples[0].remaining();
        float[] chunk = new float[frames * channels]; // interleaved
        for (int i = 0; i < frames; i++) {
          for (int ch = 0; ch < channels; ch++) {
            chunk[i * channels + ch] = samples.length == 1 ? ((FloatBuffer) samples[0]).get()
                : ((FloatBuffer) samples[ch]).get(samples[ch].position() + i);
          }
        }
        chunks.add(chunk);
        n += frames;
      }
      float[][] out = new float[channels][n];
      int at = 0;
      for (float[] chunk : chunks) {
        int frames = chunk.length / channels;
        for (int i = 0; i < frames; i++) for (int ch = 0; ch < channels; ch++) out[ch][at + i] = chunk[i * channels + ch];
        at += frames;
      }
      return out;
    }
  }
}
