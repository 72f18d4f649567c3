package ai.mesm.score;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import ai.mesm.data.DatasetKind;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.SegmentCutter;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.NoFaceDetector;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSettings;
import ai.mesm.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One video scored by the real VideoScorer, without Spark, on a generated ~18 s CMU-MOSEI video
 * (H.264/AAC): a subtitle file of 20,000 cues is scored with bounded memory, hostile timings and
 * oversized files become rejects, and an unexpected failure rejects the video instead of throwing.
 */
class VideoScorerTest {
  static final int CUES = 20_000;
  @TempDir static Path dir;
  static Path video;
  static double seconds;
  static EmotionModel model;

  @BeforeAll
  static void generate() throws Exception {
    Path corpus = dir.resolve("corpus");
    new SyntheticCorpusGenerator(CorpusSettings.from(ConfigLoader.load(List.of(), Map.of("corpus.size", "6",
        "corpus.layouts", "[mosei]", "corpus.mosei.clips-per-video", "6", "corpus.mosei.defects", "false",
        "corpus.mosei.missing-wav-fraction", "1", "corpus.min-utterance-s", "2.0", "corpus.max-utterance-s", "2.5"))))
        .generate(corpus);
    try (Stream<Path> s = Files.list(corpus.resolve("CMU_MOSEI/Videos/Full/Combined"))) {
      video = s.filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow();
    }
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
      g.start();
      seconds = g.getLengthInTime() / 1e6;
    }
    double[] ones = new double[6];
    Arrays.fill(ones, 1);
    model = EmotionModel.create(ModelSettings.spec(config(Map.of()), List.of(Modality.AUDIO, Modality.VISUAL),
        DatasetKind.MOSEI, null, ones), null, VisualNormalisation.defaults().mean(),
        VisualNormalisation.defaults().std());
  }

  static MesmConfig config(Map<String, String> extra) {
    Map<String, String> o = new HashMap<>(Map.of("dataset", "mosei", "model.cnn.channel-divisor", "64",
        "model.dim", "8", "model.layers", "1", "model.feed-forward", "16", "media.face.detector", "none",
        "score.batch-size", "500"));
    o.putAll(extra);
    return ConfigLoader.load(List.of(), o);
  }

  private static VideoScorer scorer(SegmentCutter cutter, MesmConfig c, List<String> classes) {
    double[] thresholds = new double[classes.size()];
    Arrays.fill(thresholds, 0.5);
    return new VideoScorer(ScoreSettings.of(c), MediaSettings.from(c), model, thresholds, classes, cutter,
        new Configuration());
  }

  private static SegmentCutter cutter(MesmConfig c) {
    MediaSettings media = MediaSettings.from(c);
    return new SegmentCutter(media, new NoFaceDetector(), new MelSpectrogram(media.mel()));
  }

  /** A copy of the video with {@code srt} beside it, in its own folder. */
  private static String withSubtitles(String name, String srt) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.copy(video, folder.resolve("v.mp4"));
    Files.writeString(folder.resolve("v.srt"), srt);
    return folder.resolve("v.mp4").toUri().toString();
  }

  private static String cue(int number, double startS, double endS) {
    return number + "\n" + time(startS) + " --> " + time(endS) + "\ntiny cue " + number + "\n\n";
  }

  private static String time(double s) {
    long ms = Math.round(s * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }

  @Test
  @Slow
  void twentyThousandCuesOnAShortVideoAreScoredWithBoundedMemory() throws Exception {
    StringBuilder srt = new StringBuilder();
    for (int i = 0; i < CUES; i++) {
      double start = i * (seconds - 0.2) / CUES;
      srt.append(cue(i + 1, start, start + 0.05));
    }
    for (int i = 0; i < 100; i++) srt.append(cue(CUES + i + 1, seconds + 5, seconds + 6));
    srt.append(CUES + 101).append("\n99999999999:00:00,000 --> 99999999999:00:01,000\nan hour too large for an int\n\n");
    int blocks = CUES + 101;
    MesmConfig c = config(Map.of());
    SegmentCutter cutter = cutter(c);
    VideoScorer.Result r = scorer(cutter, c, DatasetKind.MOSEI.classes()).score(withSubtitles("many-cues", srt.toString()));

    Map<String, Long> reasons = new HashMap<>();
    for (ScoreReject x : r.rejects()) reasons.merge(x.stage() + " " + x.reason(), 1L, Long::sum);
    assertEquals(Map.of("segment outside_media", 100L, "line malformed_cue_timing", 1L), reasons);
    assertEquals(CUES, r.rows().size());
    assertEquals(blocks, r.rows().size() + r.rejects().size(), "every cue is a row or a reject");
    assertEquals(CUES + 100, r.segments());
    assertTrue(r.rows().stream().allMatch(x -> x.nFrames() == 1 && x.nChunks() == 1));
    // A cue completes on the frame that shows it, so crops of at most a couple of frames are ever held.
    assertTrue(cutter.peaks().crops() <= 4, "held " + cutter.peaks().crops() + " crops");
    long oneSecond = MediaSettings.from(c).sampleRate();
    assertTrue(cutter.peaks().audioSamples() <= oneSecond, "held " + cutter.peaks().audioSamples() + " samples");
  }

  @Test
  void aSegmentFileOverTheSizeCapRejectsTheVideoUnread() throws Exception {
    StringBuilder srt = new StringBuilder();
    for (int i = 0; i < 100; i++) srt.append(cue(i + 1, i * 0.1, i * 0.1 + 0.05));
    String v = withSubtitles("capped", srt.toString());
    MesmConfig c = config(Map.of("media.max-text-file-size", "1K"));
    VideoScorer.Result r = scorer(cutter(c), c, DatasetKind.MOSEI.classes()).score(v);
    assertEquals(List.of(), r.rows());
    assertEquals(1, r.rejects().size(), r.rejects().toString());
    ScoreReject x = r.rejects().get(0);
    assertEquals(ScoreReject.UNREADABLE_SEGMENT_FILE, x.reason());
    assertTrue(x.sourcePath().endsWith("capped/v.srt"), x.sourcePath());
    assertTrue(x.detail().contains("KiB, over the 1.0 KiB limit for text files (mesm.media.max-text-file-size)"),
        x.detail());
  }

  @Test
  void anUnexpectedFailureRejectsTheVideoInsteadOfStoppingTheArchive() throws Exception {
    String v = withSubtitles("failing", cue(1, 1.0, 2.0) + cue(2, 3.0, 4.5));
    MesmConfig c = config(Map.of());
    // One class name more than the model has outputs stands in for any bug met while scoring.
    List<String> classes = new ArrayList<>(DatasetKind.MOSEI.classes());
    classes.add("seventh");
    VideoScorer scorer = scorer(cutter(c), c, classes);
    for (int attempt = 0; attempt < 2; attempt++) {
      VideoScorer.Result r = scorer.score(v);
      assertEquals(List.of(), r.rows());
      assertEquals(1, r.rejects().size(), r.rejects().toString());
      ScoreReject x = r.rejects().get(0);
      assertEquals("video", x.stage());
      assertEquals(ScoreReject.SCORING_FAILED, x.reason());
      assertTrue(x.detail().startsWith("java.lang.ArrayIndexOutOfBoundsException: "), x.detail());
    }
  }
}
