package ai.mesm.corpus;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.ingest.EmoEvaluation;
import ai.mesm.ingest.IemocapEvaluationFormat;
import ai.mesm.ingest.IemocapTranscriptFormat;
import ai.mesm.ingest.MoseiAnnotation;
import ai.mesm.ingest.MoseiLabelFormat;
import ai.mesm.ingest.MoseiSegment;
import ai.mesm.ingest.MoseiTranscriptFormat;
import ai.mesm.ingest.Parsed;
import ai.mesm.ingest.TranscriptLine;
import ai.mesm.testing.Slow;
import java.io.IOException;
import java.io.Reader;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates a tiny corpus twice with the same seed (with different thread counts) and checks that
 * the files are in the real layouts, decode back with FFmpeg as asked, parse back with the
 * readers of the real formats, agree with the ground truth, and do not depend on the run.
 */
@Slow
class SyntheticCorpusGeneratorTest {
  @TempDir static Path dir;
  static Path first;
  static Path second;
  static CorpusSummary summary;

  static MesmConfig config(String output, int threads, long seed) {
    return ConfigLoader.load(List.of(), Map.ofEntries(
        Map.entry("seed", Long.toString(seed)), Map.entry("corpus.output", output),
        Map.entry("corpus.size", "6"), Map.entry("corpus.threads", Integer.toString(threads)),
        Map.entry("corpus.min-utterance-s", "1.0"), Map.entry("corpus.max-utterance-s", "1.6"),
        Map.entry("corpus.iemocap.utterances-per-dialog", "3"), Map.entry("corpus.iemocap.out-of-class-fraction", "0.5"),
        Map.entry("corpus.mosei.clips-per-video", "3"), Map.entry("corpus.mosei.missing-wav-fraction", "0.5")));
  }

  @BeforeAll
  static void generate() throws IOException {
    first = dir.resolve("a");
    second = dir.resolve("b");
    summary = new SyntheticCorpusGenerator(CorpusSettings.from(config(first.toString(), 2, 7))).generate(first);
    new SyntheticCorpusGenerator(CorpusSettings.from(config(second.toString(), 1, 7))).generate(second);
  }

  private static List<String[]> truth(Path root, String name) throws IOException {
    List<String> lines = Files.readAllLines(root.resolve("_truth").resolve(name));
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) rows.add(line.split(",", 11));
    return rows;
  }

  private static List<Path> files(Path root, String glob) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      var matcher = root.getFileSystem().getPathMatcher("glob:" + glob);
      return s.filter(p -> matcher.matches(root.relativize(p))).sorted().toList();
    }
  }

  @Test
  void iemocapIsInTheReleaseLayout() throws IOException {
    Path release = first.resolve("IEMOCAP_full_release");
    assertEquals(List.of(release.resolve("Session1/dialog/avi/DivX/Ses01F_impro01.avi"),
        release.resolve("Session2/dialog/avi/DivX/Ses02F_impro01.avi")), files(release, "Session*/dialog/avi/DivX/*.avi"));
    for (String dialog : List.of("Session1/dialog/%s/Ses01F_impro01.%s", "Session2/dialog/%s/Ses02F_impro01.%s")) {
      assertTrue(Files.isRegularFile(release.resolve(String.format(dialog, "wav", "wav"))));
      assertTrue(Files.isRegularFile(release.resolve(String.format(dialog, "transcriptions", "txt"))));
      assertTrue(Files.isRegularFile(release.resolve(String.format(dialog, "EmoEvaluation", "txt"))));
    }
  }

  @Test
  void iemocapVideoDecodesAsAsked() throws Exception {
    Path avi = first.resolve("IEMOCAP_full_release/Session1/dialog/avi/DivX/Ses01F_impro01.avi");
    double lastEnd = truth(first, "iemocap.csv").stream().filter(r -> r[1].equals("Ses01F_impro01"))
        .mapToDouble(r -> Double.parseDouble(r[4])).max().orElseThrow();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(avi.toFile())) {
      g.start();
      assertEquals("avi", g.getFormat().split(",")[0]);
      assertEquals(avcodec.AV_CODEC_ID_MPEG4, g.getVideoCodec());
      assertEquals(384, g.getImageWidth());
      assertEquals(192, g.getImageHeight());
      assertEquals(30000.0 / 1001, g.getFrameRate(), 1e-3);
      double seconds = g.getLengthInTime() / 1e6;
      assertTrue(seconds > lastEnd && seconds < lastEnd + 3, "duration " + seconds + " vs last utterance end " + lastEnd);
      int frames = 0;
      Frame f;
      while ((f = g.grabImage()) != null) frames++;
      assertEquals(seconds * 30000.0 / 1001, frames, 2.0);
    }
  }

  @Test
  void iemocapWavIsStereo16kWithTheSpeakerOnItsOwnChannel() throws Exception {
    for (Path wav : files(first.resolve("IEMOCAP_full_release"), "Session*/dialog/wav/*.wav")) {
      String dialog = wav.getFileName().toString().replace(".wav", "");
      float[][] channels = decodeStereo(wav);
      for (String[] row : truth(first, "iemocap.csv")) {
        if (!row[1].equals(dialog) || row[2].equals("-1")) continue;
        int actor = Integer.parseInt(row[2]);
        int from = (int) (Double.parseDouble(row[3]) * 16000);
        int to = (int) (Double.parseDouble(row[4]) * 16000);
        double own = rms(channels[actor], from, to);
        double other = rms(channels[1 - actor], from, to);
        assertTrue(own > 4 * other, row[0] + ": speaker channel rms " + own + " vs other " + other);
      }
    }
  }

  @Test
  void iemocapAnnotationsParseBackAndMatchTheTruth() throws IOException {
    Map<String, String[]> truth = new HashMap<>();
    for (String[] r : truth(first, "iemocap.csv")) truth.put(r[0], r);
    int evaluated = 0;
    for (Path file : files(first.resolve("IEMOCAP_full_release"), "Session*/dialog/EmoEvaluation/*.txt")) {
      List<String> lines = Files.readAllLines(file);
      assertEquals(IemocapEvaluationFormat.HEADER, lines.get(0));
      Parsed<EmoEvaluation> parsed = IemocapEvaluationFormat.parse(file.toString(), lines);
      assertEquals(List.of(), parsed.skipped());
      for (EmoEvaluation e : parsed.items()) {
        String[] t = truth.get(e.utteranceId());
        assertNotNull(t, e.utteranceId());
        assertEquals(t[5], e.label());
        assertEquals(Double.parseDouble(t[3]), e.startS(), 1e-4);
        assertEquals(Double.parseDouble(t[4]), e.endS(), 1e-4);
        assertFalse(e.annotatorLines().isEmpty());
        evaluated++;
      }
    }
    assertEquals(6, evaluated);
    assertTrue(truth.values().stream().anyMatch(r -> r[9].equals("out_of_class")), "some labels outside the 6 classes");
    for (Path file : files(first.resolve("IEMOCAP_full_release"), "Session*/dialog/transcriptions/*.txt")) {
      Parsed<TranscriptLine> parsed = IemocapTranscriptFormat.parse(file.toString(), Files.readAllLines(file));
      for (TranscriptLine line : parsed.items()) {
        String[] t = truth.get(line.utteranceId());
        assertNotNull(t, line.utteranceId());
        assertEquals(t[10].substring(1, t[10].length() - 1), line.text());
      }
    }
  }

  @Test
  void moseiIsInTheReleaseLayoutAndDecodes() throws Exception {
    Path release = first.resolve("CMU_MOSEI");
    List<Path> videos = files(release, "Videos/Full/Combined/*.mp4");
    assertEquals(4, videos.size(), "2 videos of 3 clips + one with defects + one corrupt");
    assertTrue(videos.stream().anyMatch(p -> p.getFileName().toString().startsWith("-")), "ids may start with '-'");
    List<Path> transcripts = files(release, "Transcript/Segmented/Combined/*.txt");
    assertEquals(4, transcripts.size());
    assertFalse(files(release, "Labels/*.csv").isEmpty());
    int decodable = 0;
    for (Path mp4 : videos) {
      try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
        try {
          g.start();
        } catch (FFmpegFrameGrabber.Exception e) {
          continue; // the deliberately truncated one
        }
        if (g.grabImage() == null) continue;
        decodable++;
        assertEquals(avcodec.AV_CODEC_ID_H264, g.getVideoCodec());
        assertEquals(avcodec.AV_CODEC_ID_AAC, g.getAudioCodec());
        assertEquals(320, g.getImageWidth());
        assertEquals(240, g.getImageHeight());
        assertEquals(44100, g.getSampleRate());
        assertEquals(2, g.getAudioChannels());
        String id = mp4.getFileName().toString().replace(".mp4", "");
        double lastEnd = truth(first, "mosei.csv").stream().filter(r -> r[1].equals(id) && r[9].equals("accepted"))
            .mapToDouble(r -> Double.parseDouble(r[4])).max().orElseThrow();
        double seconds = g.getLengthInTime() / 1e6;
        assertTrue(seconds > lastEnd && seconds < lastEnd + 2.5, id + ": duration " + seconds + " vs last clip end " + lastEnd);
        double fps = g.getFrameRate();
        assertTrue(Math.abs(fps - 30) < 0.01 || Math.abs(fps - 25) < 0.01 || Math.abs(fps - 29.97) < 0.01, "fps " + fps);
      }
    }
    assertEquals(3, decodable);
    for (Path wav : files(release, "Audio/WAV_16000/*.wav")) {
      try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(wav.toFile())) {
        g.start();
        assertEquals(16000, g.getSampleRate());
        assertEquals(1, g.getAudioChannels());
      }
    }
  }

  @Test
  void moseiAnnotationsParseBackAndTheSumRuleGivesTheTruth() throws IOException {
    Map<String, String[]> truth = new HashMap<>();
    for (String[] r : truth(first, "mosei.csv")) truth.put(r[0], r);
    Map<String, int[]> sums = new TreeMap<>();
    Map<String, Integer> rows = new HashMap<>();
    for (Path csv : files(first.resolve("CMU_MOSEI"), "Labels/*.csv")) {
      Parsed<MoseiAnnotation> parsed;
      try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        parsed = MoseiLabelFormat.parse(csv.toString(), r);
      }
      assertEquals(List.of(), parsed.skipped());
      for (MoseiAnnotation a : parsed.items()) {
        int[] s = sums.computeIfAbsent(a.videoId() + "_" + a.clip(), k -> new int[6]);
        for (int e = 0; e < 6; e++) s[e] += a.intensities().get(e);
        rows.merge(a.videoId() + "_" + a.clip(), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, int[]> e : sums.entrySet()) {
      String[] t = truth.get(e.getKey());
      assertNotNull(t, e.getKey());
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < 6; i++) if (e.getValue()[i] > 0) labels.add(MoseiGenerator.CLASSES.get(i));
      assertEquals(t[5], String.join(";", labels), e.getKey());
      assertEquals(3, rows.get(e.getKey()), "one row per annotator");
    }
    Map<String, String> expected = truth.values().stream().collect(Collectors.toMap(r -> r[0], r -> r[9]));
    assertTrue(expected.values().containsAll(List.of("no_label_rows", "end_not_after_start", "outside_media",
        "empty_text", "no_transcript_line", "undecodable_media")), expected.toString());
    expected.forEach((id, why) -> assertEquals(why.equals("no_label_rows"), !sums.containsKey(id), id));
    int segments = 0;
    for (Path file : files(first.resolve("CMU_MOSEI"), "Transcript/Segmented/Combined/*.txt")) {
      Parsed<MoseiSegment> parsed = MoseiTranscriptFormat.parse(file.toString(), Files.readAllLines(file));
      assertEquals(List.of(), parsed.skipped());
      for (MoseiSegment s : parsed.items()) {
        assertEquals(file.getFileName().toString().replace(".txt", ""), s.videoId());
        assertNotNull(truth.get(s.videoId() + "_" + s.clip()));
        segments++;
      }
    }
    assertEquals(truth.size() - 1, segments, "every clip but the label-only one has a transcript line");
  }

  @Test
  void sameSeedGivesIdenticalFilesWhateverTheThreadCount() throws Exception {
    List<Path> annotations = new ArrayList<>();
    annotations.addAll(files(first, "IEMOCAP_full_release/Session*/dialog/{transcriptions,EmoEvaluation}/*.txt"));
    annotations.addAll(files(first, "CMU_MOSEI/{Transcript/Segmented/Combined,Labels}/*.{txt,csv}"));
    annotations.addAll(files(first, "_truth/*.csv"));
    assertTrue(annotations.size() >= 10);
    for (Path a : annotations) {
      assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(second.resolve(first.relativize(a))), a.toString());
    }
    Path avi = Path.of("IEMOCAP_full_release/Session1/dialog/avi/DivX/Ses01F_impro01.avi");
    assertEquals(decodedFrameHash(first.resolve(avi)), decodedFrameHash(second.resolve(avi)));
    Path wav = Path.of("IEMOCAP_full_release/Session2/dialog/wav/Ses02F_impro01.wav");
    float[][] a = decodeStereo(first.resolve(wav));
    float[][] b = decodeStereo(second.resolve(wav));
    assertArrayEquals(a[0], b[0]);
    assertArrayEquals(a[1], b[1]);
    Path mp4 = files(first, "CMU_MOSEI/Videos/Full/Combined/*.mp4").get(0);
    assertEquals(decodedFrameHash(mp4), decodedFrameHash(second.resolve(first.relativize(mp4))));
  }

  @Test
  void anotherSeedGivesAnotherCorpus(@TempDir Path other) throws IOException {
    MesmConfig c = ConfigLoader.load(List.of(), Map.of("seed", "8", "corpus.size", "3", "corpus.layouts", "[iemocap]",
        "corpus.max-utterance-s", "1.6", "corpus.min-utterance-s", "1.0"));
    new SyntheticCorpusGenerator(CorpusSettings.from(c)).generate(other);
    Path t = Path.of("IEMOCAP_full_release/Session1/dialog/transcriptions/Ses01F_impro01.txt");
    assertNotEquals(Files.readString(first.resolve(t)), Files.readString(other.resolve(t)));
    assertFalse(Files.exists(other.resolve("CMU_MOSEI")));
  }

  /** corpus.frame-rate: every video of both layouts at the rate asked for, still as long as its utterances need. */
  @Test
  void aFrameRateSetsEveryVideosRate(@TempDir Path other) throws Exception {
    MesmConfig c = ConfigLoader.load(List.of(), Map.of("corpus.size", "3", "corpus.layouts", "[iemocap, mosei]",
        "corpus.max-utterance-s", "1.6", "corpus.min-utterance-s", "1.0", "corpus.frame-rate", "10",
        "corpus.mosei.clips-per-video", "3", "corpus.mosei.defects", "false"));
    new SyntheticCorpusGenerator(CorpusSettings.from(c)).generate(other);
    List<Path> videos = new java.util.ArrayList<>(files(other.resolve("CMU_MOSEI"), "Videos/Full/Combined/*.mp4"));
    videos.add(other.resolve("IEMOCAP_full_release/Session1/dialog/avi/DivX/Ses01F_impro01.avi"));
    for (Path video : videos) {
      try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
        g.start();
        assertEquals(10.0, g.getFrameRate(), 1e-6, video.toString());
        int frames = 0;
        while (g.grabImage() != null) frames++;
        assertEquals(g.getLengthInTime() / 1e6 * 10, frames, 2.0, video.toString());
        assertTrue(frames >= 30, video + ": " + frames + " frames");
      }
    }
    String refused = assertThrows(RuntimeException.class, () -> ConfigLoader.load(List.of(),
        Map.of("corpus.frame-rate", "2"))).getMessage();
    assertTrue(refused.contains("mesm.corpus.frame-rate"), refused);
  }

  @Test
  void summaryCountsWhatWasWritten() {
    CorpusSummary.Layout iemocap = summary.layouts().get(0);
    assertEquals("iemocap", iemocap.name());
    assertEquals(2, iemocap.sources());
    int labelled = iemocap.perClass().values().stream().mapToInt(CorpusSummary.ClassCount::labelled).sum();
    assertEquals(iemocap.accepted(), labelled);
    assertEquals(iemocap.utterances(), iemocap.accepted() + iemocap.rejectedByReason().values().stream().mapToInt(i -> i).sum());
    assertTrue(iemocap.mediaSeconds() > 6 * 1.0);
    assertTrue(summary.render().contains("face shows it"));
  }

  @Test
  void photoFacesAreFoundByARealFaceDetectorAfterEncoding(@TempDir Path out) throws Exception {
    Path photo = ai.mesm.testing.RealData.photo();
    MesmConfig c = ConfigLoader.load(List.of(), Map.of("corpus.size", "1", "corpus.layouts", "[mosei]",
        "corpus.mosei.defects", "false", "corpus.face-photo", photo.toString(),
        "corpus.min-utterance-s", "1.0", "corpus.max-utterance-s", "1.2"));
    new SyntheticCorpusGenerator(CorpusSettings.from(c)).generate(out);
    Path mp4 = files(out, "CMU_MOSEI/Videos/Full/Combined/*.mp4").get(0);
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile());
         ai.mesm.media.face.OpenCvFaceDetector finder = new ai.mesm.media.face.OpenCvFaceDetector()) {
      g.start();
      g.setTimestamp(1_000_000L);
      java.awt.image.BufferedImage frame = new org.bytedeco.javacv.Java2DFrameConverter().convert(g.grabImage());
      var face = finder.largestFace(frame, 40).orElseThrow(() -> new AssertionError("no face found in " + mp4));
      assertEquals(frame.getWidth() / 2.0, face.getCenterX(), frame.getWidth() * 0.15, "face box " + face);
    }
  }

  private static String decodedFrameHash(Path video) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      g.start();
      Frame f;
      int n = 0;
      while ((f = g.grabImage()) != null && n++ < 40) {
        java.nio.ByteBuffer buf = (java.nio.ByteBuffer) f.image[0];
        byte[] bytes = new byte[buf.remaining()];
        buf.duplicate().get(bytes);
        md.update(bytes);
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  static float[][] decodeStereo(Path wav) throws Exception {
    List<Short> left = new ArrayList<>();
    List<Short> right = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(wav.toFile())) {
      g.start();
      assertEquals(16000, g.getSampleRate());
      assertEquals(2, g.getAudioChannels());
      Frame f;
      while ((f = g.grabSamples()) != null) {
        ShortBuffer s = (ShortBuffer) f.samples[0];
        while (s.remaining() >= 2) {
          left.add(s.get());
          right.add(s.get());
        }
      }
    }
    float[][] out = new float[2][left.size()];
    for (int i = 0; i < left.size(); i++) {
      out[0][i] = left.get(i) / 32768f;
      out[1][i] = right.get(i) / 32768f;
    }
    return out;
  }

  private static double rms(float[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < Math.min(to, x.length); i++) s += x[i] * x[i];
    return Math.sqrt(s / Math.max(1, to - from));
  }

}
