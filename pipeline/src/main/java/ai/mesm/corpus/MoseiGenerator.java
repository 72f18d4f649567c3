package ai.mesm.corpus;

import ai.mesm.ingest.MoseiLabelFormat;
import ai.mesm.ingest.MoseiSegment;
import ai.mesm.ingest.MoseiTranscriptFormat;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes videos in the CMU-MOSEI layout (docs/computation.md#cmu-mosei): H.264/AAC mp4s of one speaker, optional
 * 16 kHz mono wavs, segmented transcripts with "___" separators, and crowd-annotation CSV rows
 * (one per annotator) from which labels follow by the sum > 0 rule. With defects on, one extra
 * video carries clips that the cleaning rules must drop, and one more is truncated (undecodable).
 */
final class MoseiGenerator {
  static final String RELEASE = "CMU_MOSEI";
  static final List<String> CLASSES = List.of("anger", "disgust", "fear", "happy", "sad", "surprise");
  private static final double[] CLASS_WEIGHTS = {0.8, 0.6, 0.4, 1.5, 1.0, 0.5};
  private static final Affect[] CLASS_AFFECTS = CLASSES.stream().map(Affect::forLabel).toArray(Affect[]::new);
  private static final Affect[] CUE_POOL = {Affect.NEUTRAL, Affect.ANGER, Affect.DISGUST, Affect.FEAR,
      Affect.HAPPY, Affect.SAD, Affect.SURPRISE};
  private static final double[] FPS_CHOICES = {30.0, 25.0, 30000.0 / 1001};
  private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  static final int WAV_RATE = 16000;
  static final int MP4_AUDIO_RATE = 44100;

  enum Kind { NORMAL, DEFECTS, CORRUPT }

  /** A planned clip: its transcript segment (null if it has none) and its annotators' rows. */
  record Clip(PlannedUtterance utterance, MoseiSegment segment, List<MoseiLabelFormat.Row> rows) {}

  record VideoPlan(String videoId, Kind kind, Actor actor, double fps, boolean wav, List<Clip> clips, double duration) {}

  private final CorpusSettings settings;
  private final FacePainter painter;

  MoseiGenerator(CorpusSettings settings, FacePainter painter) {
    this.settings = settings;
    this.painter = painter;
  }

  List<VideoPlan> plan() {
    SplittableRandom ids = Seeds.stream(settings.seed(), "mosei-video-ids");
    int perVideo = settings.moseiClipsPerVideo();
    int videos = (settings.size() + perVideo - 1) / perVideo;
    List<VideoPlan> plans = new ArrayList<>();
    int remaining = settings.size();
    for (int v = 0; v < videos; v++) {
      int count = Math.min(perVideo, remaining);
      remaining -= count;
      plans.add(planVideo(videoId(ids, v), Kind.NORMAL, v, count));
    }
    if (settings.moseiDefects()) {
      plans.add(planVideo(videoId(ids, videos), Kind.DEFECTS, videos, 5));
      plans.add(planVideo(videoId(ids, videos + 1), Kind.CORRUPT, videos + 1, 2));
    }
    return plans;
  }

  /** YouTube-style ids; the first ones start with '-' and contain '_' because real ones do. */
  private static String videoId(SplittableRandom rng, int index) {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 11; i++) id.append(ID_CHARS.charAt(rng.nextInt(ID_CHARS.length())));
    if (index == 0) id.setCharAt(0, '-');
    if (index == 1) id.setCharAt(4, '_');
    return id.toString();
  }

  private VideoPlan planVideo(String videoId, Kind kind, int index, int clips) {
    SplittableRandom rng = Seeds.stream(settings.seed(), "mosei/" + videoId);
    Actor actor = Actor.random(rng.nextBoolean() ? 'F' : 'M', rng);
    double fps = settings.frameRate(FPS_CHOICES[index % FPS_CHOICES.length]);
    boolean wav = kind != Kind.CORRUPT && rng.nextDouble() >= settings.moseiMissingWav();
    List<Clip> planned = new ArrayList<>();
    double t = 0.5 + rng.nextDouble();
    for (int c = 0; c < clips; c++) {
      double length = settings.minUtteranceS() + rng.nextDouble() * (settings.maxUtteranceS() - settings.minUtteranceS());
      double start = PlannedUtterance.fileTime(t);
      double end = PlannedUtterance.fileTime(t + length);
      planned.add(planClip(videoId, c, start, end, rng));
      t = end + 0.3 + rng.nextDouble() * 0.7;
    }
    double duration = t + 0.5;
    if (kind == Kind.DEFECTS) planned = injectDefects(videoId, planned, duration, rng);
    if (kind == Kind.CORRUPT) planned = planned.stream().map(c -> withExpected(c, "undecodable_media")).toList();
    return new VideoPlan(videoId, kind, actor, fps, wav, planned, duration);
  }

  private Clip planClip(String videoId, int clip, double start, double end, SplittableRandom rng) {
    int primary = rng.nextDouble() < 0.15 ? -1 : Seeds.weighted(CLASS_WEIGHTS, rng);
    int secondary = primary >= 0 && rng.nextDouble() < 0.2 ? rng.nextInt(CLASSES.size()) : -1;
    if (secondary == primary) secondary = -1;
    Affect truth = primary < 0 ? Affect.NEUTRAL : CLASS_AFFECTS[primary];
    List<MoseiLabelFormat.Row> rows = new ArrayList<>();
    int[] sums = new int[CLASSES.size()];
    for (int a = 0; a < settings.moseiAnnotators(); a++) {
      List<Integer> intensities = new ArrayList<>();
      for (int e = 0; e < CLASSES.size(); e++) {
        int v;
        if (e == primary) v = rng.nextDouble() < 0.85 || a == 0 ? 1 + rng.nextInt(3) : 0;
        else if (e == secondary) v = rng.nextInt(3);
        else v = rng.nextDouble() < 0.015 ? 1 : 0; // annotators disagree now and then
        intensities.add(v);
        sums[e] += v;
      }
      rows.add(new MoseiLabelFormat.Row(randomToken(rng, 30, true), "A" + randomToken(rng, 13, true),
          "videos/" + videoId, clip, intensities, sentiment(truth, rng), comment(rng)));
    }
    List<String> labels = new ArrayList<>();
    for (int e = 0; e < CLASSES.size(); e++) if (sums[e] > 0) labels.add(CLASSES.get(e));
    Affect text = Seeds.maybeConfuse(truth, settings.noise(), CUE_POOL, rng);
    Affect voice = Seeds.maybeConfuse(truth, settings.noise(), CUE_POOL, rng);
    Affect face = Seeds.maybeConfuse(truth, settings.noise(), CUE_POOL, rng);
    Affect second = secondary >= 0 ? CLASS_AFFECTS[secondary] : null;
    String sentence = Lexicon.sentence(text, second, rng);
    String id = videoId + "_" + clip;
    PlannedUtterance u = new PlannedUtterance(id, videoId, 0, start, end, List.copyOf(labels), text, voice, face,
        sentence, PlannedUtterance.ACCEPTED);
    return new Clip(u, new MoseiSegment(videoId, clip, start, end, sentence), rows);
  }

  /** The cleaning cases of docs/computation.md#cmu-mosei, one per clip; the last clip stays clean. */
  private static List<Clip> injectDefects(String videoId, List<Clip> clips, double duration, SplittableRandom rng) {
    List<Clip> out = new ArrayList<>();
    Clip noLabels = clips.get(0);
    out.add(new Clip(expect(noLabels.utterance(), "no_label_rows"), noLabels.segment(), List.of()));
    Clip badTimes = clips.get(1);
    MoseiSegment s1 = badTimes.segment();
    out.add(new Clip(expect(badTimes.utterance(), "end_not_after_start"),
        new MoseiSegment(videoId, s1.clip(), s1.startS(), s1.startS() - 0.5, s1.text()), badTimes.rows()));
    Clip outside = clips.get(2);
    MoseiSegment s2 = outside.segment();
    out.add(new Clip(expect(outside.utterance(), "outside_media"),
        new MoseiSegment(videoId, s2.clip(), s2.startS(), PlannedUtterance.fileTime(duration + 5), s2.text()), outside.rows()));
    Clip empty = clips.get(3);
    MoseiSegment s3 = empty.segment();
    out.add(new Clip(expect(empty.utterance(), "empty_text"),
        new MoseiSegment(videoId, s3.clip(), s3.startS(), s3.endS(), ""), empty.rows()));
    out.add(clips.get(4));
    // Label rows for a clip the transcript never mentions.
    Clip orphan = clips.get(4);
    List<MoseiLabelFormat.Row> orphanRows = orphan.rows().stream()
        .map(r -> new MoseiLabelFormat.Row(r.hitId() + "X", r.workerId(), r.videoUrl(), 9, r.intensities(), r.sentiment(), r.comments()))
        .toList();
    PlannedUtterance o = orphan.utterance();
    out.add(new Clip(new PlannedUtterance(videoId + "_9", videoId, 0, 0, 0, o.labels(), o.textAffect(), o.voiceAffect(),
        o.faceAffect(), "", "no_transcript_line"), null, orphanRows));
    return out;
  }

  private static Clip withExpected(Clip c, String expected) {
    return new Clip(expect(c.utterance(), expected), c.segment(), c.rows());
  }

  private static PlannedUtterance expect(PlannedUtterance u, String expected) {
    return new PlannedUtterance(u.id(), u.source(), u.actor(), u.start(), u.end(), u.labels(), u.textAffect(),
        u.voiceAffect(), u.faceAffect(), u.text(), expected);
  }

  /** Renders the mp4, the optional wav and the transcript; returns media seconds written. */
  double render(VideoPlan plan, Path root) throws IOException {
    Path release = root.resolve(RELEASE);
    Path mp4 = release.resolve("Videos/Full/Combined/" + plan.videoId() + ".mp4");
    Path wav = release.resolve("Audio/WAV_16000/" + plan.videoId() + ".wav");
    Path transcript = release.resolve("Transcript/Segmented/Combined/" + plan.videoId() + ".txt");
    for (Path p : List.of(mp4, wav, transcript)) Files.createDirectories(p.getParent());

    SplittableRandom rng = Seeds.stream(settings.seed(), plan.videoId() + "/media");
    int samples = (int) Math.ceil(plan.duration() * WAV_RATE);
    float[] voice = new float[samples];
    Performance performance = new Performance(1, plan.duration(), rng);
    for (Clip clip : plan.clips()) {
      PlannedUtterance u = clip.utterance();
      if (clip.segment() == null || u.end() <= u.start() || u.end() > plan.duration()) continue;
      VoiceSynth.Speech speech = VoiceSynth.speak(u.voiceAffect().voice(), plan.actor().pitchHz(),
          plan.actor().formantScale(), u.end() - u.start(), WAV_RATE, rng);
      int offset = (int) Math.round(u.start() * WAV_RATE);
      for (int i = 0; i < speech.samples().length && offset + i < samples; i++) voice[offset + i] += speech.samples()[i];
      performance.add(new Performance.Turn(0, u.start(), u.end(), u.faceAffect().face(), speech.envelope(), WAV_RATE));
    }
    for (int i = 0; i < samples; i++) voice[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.004);
    if (plan.wav()) WavWriter.write(wav, WAV_RATE, voice);
    renderVideo(plan, mp4, performance, Resampler.linear(voice, WAV_RATE, MP4_AUDIO_RATE), rng);
    if (plan.kind() == Kind.CORRUPT) truncate(mp4);

    StringBuilder text = new StringBuilder();
    for (Clip clip : plan.clips()) {
      if (clip.segment() != null) text.append(MoseiTranscriptFormat.format(clip.segment())).append('\n');
    }
    Files.writeString(transcript, text, StandardCharsets.UTF_8);
    return plan.duration();
  }

  private void renderVideo(VideoPlan plan, Path mp4, Performance performance, float[] audio44k, SplittableRandom rng)
      throws IOException {
    int width = settings.moseiWidth();
    int height = settings.moseiHeight();
    BufferedImage backdrop = Backdrop.paint(width, height, rng);
    BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    int frames = (int) Math.floor(plan.duration() * plan.fps());
    double sway = rng.nextDouble() * 6;
    int written = 0;
    try (VideoWriter writer = new VideoWriter(mp4, VideoWriter.Container.H264_AAC_MP4, width, height, plan.fps(), 2,
        MP4_AUDIO_RATE)) {
      for (int i = 0; i < frames; i++) {
        double t = i / plan.fps();
        Graphics2D g = frame.createGraphics();
        g.drawImage(backdrop, 0, 0, null);
        Performance.State state = performance.at(0, t);
        double size = height * 0.6 * plan.actor().faceScale();
        double cx = width / 2.0 + Math.sin(0.6 * t + sway) * width * 0.02;
        double cy = height * 0.5 + Math.cos(0.4 * t + sway) * height * 0.02;
        painter.paint(g, cx, cy, size, state.face(), plan.actor(), state.talk(), state.blink(), false);
        g.dispose();
        writer.frame(frame);
        // Audio up to the end of this frame, so that the muxer interleaves both streams evenly.
        int upTo = (int) Math.min(audio44k.length, Math.round((i + 1) / plan.fps() * MP4_AUDIO_RATE));
        writer.samples(MP4_AUDIO_RATE, stereo(audio44k, written, upTo));
        written = upTo;
      }
      writer.samples(MP4_AUDIO_RATE, stereo(audio44k, written, audio44k.length));
    }
  }

  private static float[] stereo(float[] mono, int from, int to) {
    float[] out = new float[Math.max(0, to - from) * 2];
    for (int i = from; i < to; i++) {
      out[2 * (i - from)] = mono[i];
      out[2 * (i - from) + 1] = mono[i] * 0.9f;
    }
    return out;
  }

  /** A download cut short: the header survives, the media does not. */
  private static void truncate(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 2048)));
  }

  private static int sentiment(Affect truth, SplittableRandom rng) {
    int base = switch (truth) {
      case HAPPY -> 2;
      case SURPRISE -> 1;
      case NEUTRAL -> 0;
      default -> -2;
    };
    return Math.max(-3, Math.min(3, base + rng.nextInt(3) - 1));
  }

  private static String comment(SplittableRandom rng) {
    return switch (rng.nextInt(6)) {
      case 0 -> "speaker seems sincere, a bit \"tired\"";
      case 1 -> "hard to tell, audio noisy";
      default -> "";
    };
  }

  private static String randomToken(SplittableRandom rng, int length, boolean upper) {
    String chars = upper ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" : ID_CHARS;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) sb.append(chars.charAt(rng.nextInt(chars.length())));
    return sb.toString();
  }
}
