package ai.mesm.media;

import ai.mesm.media.SegmentCutter.Crop;
import ai.mesm.media.SegmentCutter.Cut;
import ai.mesm.media.SegmentCutter.IndexedCut;
import ai.mesm.media.SegmentCutter.MelChunks;
import ai.mesm.media.SegmentCutter.Window;
import ai.mesm.media.face.FaceTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The cuts of one video's windows, pulled one at a time: each {@link #next()} decodes the video
 * only as far as the next window needs, then that window's audio, and hands its cut over.
 *
 * <p>What is held is what windows in progress need, so memory follows the longest window, not the
 * video: the face crops of windows whose frames are not all in yet (one crop per frame and side,
 * shared by overlapping windows), and the audio from the start of the earliest window not yet
 * handed over. Windows may come in any order and overlap; they are opened in order of start and
 * handed over in order of completion (a window completes when the video passes its last frame
 * time), so {@link IndexedCut#index()} says which window a cut belongs to.
 */
public final class CutStream implements Iterator<IndexedCut>, AutoCloseable {
  private final SegmentCutter cutter;
  private final FrameSampler video;
  private final AudioReader audio;
  private final List<Window> windows;
  private final int sampleRate;
  private final double intervalS;
  private final double mediaEndS;
  /** Windows outside the media: handed over first, without decoding anything for them. */
  private final boolean[] outside;
  /** Window indices by start (then index), and each window's position in that order. */
  private final int[] byStart;
  private final int[] rank;
  /** Per window from its opening to its hand-over: its frame times and the crops taken so far. */
  private final Slots[] open;
  private final boolean[] emitted;
  /** Windows opened so far and the first not yet handed over, both positions in {@link #byStart}. */
  private int opened;
  private int firstPending;
  /** Open windows waiting for a frame, by the time of that frame. */
  private final PriorityQueue<Integer> waiting;
  /** Windows with all their frames in (or none to come), by start: handed over in this order. */
  private final PriorityQueue<Integer> complete = new PriorityQueue<>();
  private boolean videoOver;
  private int heldCrops;
  private int peakHeldCrops;
  private IndexedCut ahead;
  /** The face tracker of each side (index side + 1): a video's samples reach them in time order. */
  private final FaceTracker[] faces = new FaceTracker[3];
  private final MediaTimes times = new MediaTimes();

  /**
   * @param mediaEndS the longer of the video's duration and the audio's, exact for any window that
   *                  reaches past the video's duration (see {@link SegmentCutter#open})
   */
  CutStream(SegmentCutter cutter, FrameSampler video, AudioReader audio, List<Window> windows, double mediaEndS) {
    this.cutter = cutter;
    this.video = video;
    this.audio = audio;
    this.windows = List.copyOf(windows);
    this.sampleRate = cutter.settings().sampleRate();
    this.intervalS = cutter.settings().frameIntervalMs() / 1000.0;
    this.mediaEndS = mediaEndS;
    int n = windows.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> windows.get(i).startS()).thenComparingInt(i -> i));
    byStart = new int[n];
    rank = new int[n];
    for (int r = 0; r < n; r++) {
      byStart[r] = order[r];
      rank[order[r]] = r;
    }
    open = new Slots[n];
    emitted = new boolean[n];
    waiting = new PriorityQueue<>(Comparator.comparingDouble((Integer w) -> open[w].nextTime()).thenComparingInt(w -> w));
    // Decided before any decoding: such a window (say [900, 905] s of a 10 s video) would otherwise
    // hold frame times, crops and audio up to where it claims to end.
    outside = new boolean[n];
    for (int w = 0; w < n; w++) {
      outside[w] = Coverage.outside(windows.get(w), mediaEndS);
      if (outside[w]) {
        open[w] = new Slots(new double[0]);
        complete.add(rank[w]);
      }
    }
  }

  /** The video's container facts. */
  public FrameSampler.VideoInfo videoInfo() {
    return video.info();
  }

  /** Whether the audio track has at least one sample (decodes its first packet to know). */
  public boolean hasAudio() {
    try {
      audio.fill(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return audio.decoded() > 0;
  }

  /** Seconds of audio decoded so far: at least to the end of the windows handed over, or the whole track. */
  public double audioSecondsSeen() {
    return audio.decoded() / (double) sampleRate;
  }

  @Override
  public boolean hasNext() {
    if (ahead == null) {
      try {
        ahead = advance();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ahead != null;
  }

  @Override
  public IndexedCut next() {
    if (!hasNext()) throw new NoSuchElementException();
    IndexedCut c = ahead;
    ahead = null;
    return c;
  }

  /** Where this stream's time went so far, by step. */
  public MediaTimes times() {
    return times;
  }

  /** The most face crops held at once (windows in progress, shared crops counted once). */
  int peakHeldCrops() {
    return peakHeldCrops;
  }

  /** The most audio samples per channel held at once. */
  long peakBufferedSamples() {
    return audio.peakBuffered();
  }

  @Override
  public void close() throws IOException {
    cutter.record(peakHeldCrops, audio.peakBuffered());
    try {
      video.close();
    } finally {
      audio.close();
    }
  }

  private IndexedCut advance() throws IOException {
    while (true) {
      if (!complete.isEmpty()) return handOver(byStart[complete.poll()]);
      if (firstPending == windows.size()) return null;
      if (videoOver) throw new IllegalStateException("windows left that can never complete");
      if (opened < windows.size() || !waiting.isEmpty()) {
        nextFrame();
      } else {
        videoOver = true; // every frame any window asked for is in: no need to decode further
      }
    }
  }

  /** Decodes one frame: opens the windows it starts, gives it to the windows waiting for it. */
  private void nextFrame() throws IOException {
    long t = System.nanoTime();
    boolean more = video.next();
    times.add(MediaTimes.Step.DECODE, t);
    if (!more) {
      endOfVideo();
      return;
    }
    while (opened < windows.size() && video.shows(windows.get(byStart[opened]).startS())) {
      int w = byStart[opened++];
      if (!outside[w]) openWindow(w);
    }
    Crop[] bySide = new Crop[3];
    while (!waiting.isEmpty() && video.shows(open[waiting.peek()].nextTime())) {
      int w = waiting.poll();
      int side = windows.get(w).side();
      Crop crop = bySide[side + 1];
      if (crop == null) {
        if (faces[side + 1] == null) faces[side + 1] = cutter.tracker();
        long c = System.nanoTime();
        var image = video.image();
        times.add(MediaTimes.Step.CONVERT, c);
        crop = cutter.crop(image, side, video.lastFrameS(), faces[side + 1], times);
        bySide[side + 1] = crop;
        peakHeldCrops = Math.max(peakHeldCrops, ++heldCrops);
      }
      crop.users++;
      open[w].take(crop);
      if (open[w].needsMore()) waiting.add(w);
      else complete.add(rank[w]);
    }
  }

  private void openWindow(int w) {
    Window win = windows.get(w);
    open[w] = new Slots(cutter.settings().frameTimes(win.startS(), win.endS()));
    if (open[w].needsMore()) waiting.add(w);
    else complete.add(rank[w]);
  }

  /** The video has no more frames: every window left completes with the frames it has. */
  private void endOfVideo() {
    videoOver = true;
    for (int w : waiting) complete.add(rank[w]);
    waiting.clear();
    while (opened < windows.size()) {
      int w = byStart[opened++];
      if (outside[w]) continue;
      Window win = windows.get(w);
      open[w] = new Slots(cutter.settings().frameTimes(win.startS(), win.endS()));
      complete.add(rank[w]);
    }
  }

  private IndexedCut handOver(int w) throws IOException {
    Window win = windows.get(w);
    if (outside[w]) {
      release(w);
      return new IndexedCut(w, new Cut(0, new double[0], new boolean[0], new float[0], new byte[0], 0, 0, new float[0],
          new Coverage(win, mediaEndS, 0, cutter.minAudioSamples(), Double.NaN, false)));
    }
    Slots s = open[w];
    int faceBytes = cutter.settings().faceSize() * cutter.settings().faceSize() * 3;
    int n = s.taken;
    byte[] frames = new byte[n * faceBytes];
    double[] frameTimes = new double[n];
    boolean[] found = new boolean[n];
    float[] boxes = new float[n * 4];
    for (int k = 0; k < n; k++) {
      Crop c = s.crops[k];
      System.arraycopy(c.pixels, 0, frames, k * faceBytes, faceBytes);
      frameTimes[k] = c.frameTimeS;
      found[k] = !Float.isNaN(c.box[0]);
      System.arraycopy(c.box, 0, boxes, k * 4, 4);
    }
    boolean cutShort = n < s.times.length;
    double lastFrame = video.lastFrameS();
    boolean endedEarly = cutShort && (Double.isNaN(lastFrame) || s.times[s.times.length - 1] > lastFrame + intervalS + 1e-9);

    // The audio before the earliest window not yet handed over (this one or an earlier open one) is never needed again.
    audio.discardBefore(sample(windows.get(byStart[firstPending]).startS()));
    long from = sample(win.startS());
    long to = sample(win.endS());
    long a = System.nanoTime();
    audio.fill(to);
    times.add(MediaTimes.Step.AUDIO, a);
    int samples = (int) Math.max(0, Math.min(audio.decoded(), to) - from);
    Coverage coverage = new Coverage(win, mediaEndS, samples, cutter.minAudioSamples(),
        cutShort ? lastFrame : Double.NaN, endedEarly);
    long m = System.nanoTime();
    MelChunks mel = coverage.tooLittleAudio() ? new MelChunks(0, 0, new float[0])
        : cutter.mel(audio.copy(win.side() < 0 ? 0 : Math.min(win.side(), audio.channels() - 1), from, to));
    times.add(MediaTimes.Step.MEL, m);
    release(w);
    return new IndexedCut(w, new Cut(n, frameTimes, found, boxes, frames, mel.nChunks(), mel.melFrames(), mel.values(),
        coverage));
  }

  /** The window is handed over: its crops and the audio before the next window's start can go. */
  private void release(int w) {
    Slots s = open[w];
    for (int k = 0; k < s.taken; k++) {
      if (--s.crops[k].users == 0) heldCrops--;
    }
    open[w] = null;
    emitted[w] = true;
    while (firstPending < windows.size() && emitted[byStart[firstPending]]) firstPending++;
    audio.discardBefore(firstPending < windows.size() ? sample(windows.get(byStart[firstPending]).startS()) : Long.MAX_VALUE);
  }

  private long sample(double seconds) {
    return Math.round(seconds * sampleRate);
  }

  /** A window's frame times and the crops it has taken, in order. */
  private static final class Slots {
    final double[] times;
    final Crop[] crops;
    int taken;

    Slots(double[] times) {
      this.times = times;
      this.crops = new Crop[times.length];
    }

    boolean needsMore() {
      return taken < times.length;
    }

    double nextTime() {
      return times[taken];
    }

    void take(Crop crop) {
      crops[taken++] = crop;
    }
  }
}
