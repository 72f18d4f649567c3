package ai.mesm.media;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.NoFaceDetector;
import ai.mesm.media.face.OpenCvFaceDetector;
import ai.mesm.testing.GeneratedDialog;
import ai.mesm.testing.Slow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming cutter on a generated two-and-a-half-minute IEMOCAP dialog (real DivX AVI, real
 * stereo wav): it cuts exactly what decoding everything up front cut, for windows in any order,
 * overlapping, on either side, while holding only what the windows in progress need.
 */
class SegmentCutterStreamingTest {
  @TempDir static Path dir;
  static GeneratedDialog dialog;
  static MediaSettings media;

  @BeforeAll
  static void generate() throws Exception {
    dialog = GeneratedDialog.generate(dir.resolve("corpus"), 40);
    media = MediaSettings.from(ConfigLoader.load(List.of(), Map.of()));
  }

  private static List<SegmentCutter.Window> utteranceWindows() {
    return dialog.utterances().stream().map(u -> new SegmentCutter.Window(u.startS(), u.endS(), u.side())).toList();
  }

  @Test
  @Slow
  void streamedCutsEqualTheWholeTrackCutsForWindowsInAnyOrder() throws Exception {
    List<SegmentCutter.Window> windows = new ArrayList<>(utteranceWindows());
    List<GeneratedDialog.Utterance> us = dialog.utterances();
    for (int i = 0; i < us.size(); i += 3) {
      GeneratedDialog.Utterance u = us.get(i);
      windows.add(new SegmentCutter.Window(Math.max(0, u.startS() - 0.7), u.endS() + 1.2, 1 - u.side()));
    }
    windows.add(windows.get(0));
    windows.add(new SegmentCutter.Window(10, 40, -1));
    Collections.shuffle(windows, new Random(7));
    try (OpenCvFaceDetector detector = new OpenCvFaceDetector(media.mtcnnMinFace())) {
      SegmentCutter cutter = new SegmentCutter(media, detector, new MelSpectrogram(media.mel()));
      List<WholeTrackCutter.Expected> expected = WholeTrackCutter.cut(cutter, dialog.avi(), dialog.wav(), false, windows);
      Map<Integer, SegmentCutter.Cut> streamed = new HashMap<>();
      cutter.cut(dialog.avi(), dialog.wav(), false, windows, c -> assertNull(streamed.put(c.index(), c.cut())));
      assertEquals(windows.size(), streamed.size());
      for (int i = 0; i < windows.size(); i++) {
        WholeTrackCutter.Expected e = expected.get(i);
        SegmentCutter.Cut c = streamed.get(i);
        String w = windows.get(i).toString();
        assertTrue(c.coverage().shortfall(true, true).isEmpty(), w);
        assertEquals(e.nFrames(), c.nFrames(), w);
        assertTrue(c.nFrames() > 0, w);
        assertArrayEquals(e.frameTimes(), c.frameTimes(), w);
        assertArrayEquals(e.faceFound(), c.faceFound(), w);
        assertArrayEquals(e.faceBoxes(), c.faceBoxes(), w);
        assertArrayEquals(e.frames(), c.frames(), w);
        assertEquals(e.nChunks(), c.nChunks(), w);
        assertEquals(e.melFrames(), c.melFrames(), w);
        assertArrayEquals(e.mel(), c.mel(), w);
      }
    }
  }

  @Test
  void memoryFollowsTheLongestWindowNotTheLengthOfTheVideo() throws Exception {
    List<SegmentCutter.Window> windows = utteranceWindows();
    SegmentCutter cutter = new SegmentCutter(media, new NoFaceDetector(), new MelSpectrogram(media.mel()));
    int cuts = 0;
    int peakCrops;
    long peakSamples;
    try (CutStream stream = cutter.open(dialog.avi(), dialog.wav(), false, windows)) {
      while (stream.hasNext()) {
        assertEquals(0, stream.next().cut().coverage().shortfall(true, true).stream().count());
        cuts++;
      }
      peakCrops = stream.peakHeldCrops();
      peakSamples = stream.peakBufferedSamples();
      // Every step of the cut was timed (what make bench splits ingest into).
      for (MediaTimes.Step step : MediaTimes.Step.values()) {
        assertTrue(stream.times().nanos(step) > 0, step + " not timed");
      }
    }
    assertEquals(windows.size(), cuts);
    // Crops: at most those of the windows that overlap one window (its neighbours at a turn change).
    int cropBound = 0;
    int totalFrames = 0;
    double longest = 0;
    for (SegmentCutter.Window w : windows) {
      int overlapping = 0;
      for (SegmentCutter.Window v : windows) {
        if (v.startS() < w.endS() + 0.5 && v.endS() > w.startS() - 0.5) overlapping += frames(v);
      }
      cropBound = Math.max(cropBound, overlapping);
      totalFrames += frames(w);
      longest = Math.max(longest, w.endS() - w.startS());
    }
    assertTrue(totalFrames >= 10 * cropBound, "the video must be long against its windows: " + totalFrames + " frames");
    assertTrue(peakCrops <= cropBound, "held " + peakCrops + " crops, bound " + cropBound);
    assertEquals(peakCrops, cutter.peaks().crops());
    // Audio: the longest window, one frame interval, and what one decoded packet overshoots by.
    long sampleBound = Math.round((longest + media.frameIntervalMs() / 1000.0 + 0.5) * media.sampleRate());
    assertTrue(peakSamples <= sampleBound, "held " + peakSamples + " samples per channel, bound " + sampleBound);
    assertTrue(peakSamples > 0);
  }

  private static int frames(SegmentCutter.Window w) {
    return media.frameTimes(w.startS(), w.endS()).length;
  }
}
