package ai.mesm.corpus;

import ai.mesm.ingest.EmoEvaluation;
import ai.mesm.ingest.IemocapEvaluationFormat;
import ai.mesm.ingest.IemocapTranscriptFormat;
import ai.mesm.ingest.TranscriptLine;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes dialogs in the IEMOCAP release layout (docs/computation.md#iemocap): per dialog a DivX AVI with both actors
 * side by side, a stereo 16 kHz wav with one actor per channel, a transcription and an
 * EmoEvaluation file. The session token's letter (Ses01F) is the actor on the left.
 */
final class IemocapGenerator {
  static final String RELEASE = "IEMOCAP_full_release";
  static final int SAMPLE_RATE = 16000;
  static final double FPS = 30000.0 / 1001;
  static final List<String> CLASSES = List.of("ang", "exc", "fru", "hap", "neu", "sad");
  private static final double[] CLASS_WEIGHTS = {1.0, 1.0, 1.3, 0.8, 1.4, 1.0};
  private static final List<String> OUT_OF_CLASS = List.of("xxx", "xxx", "xxx", "oth", "sur", "fea", "dis");
  private static final Affect[] CLASS_AFFECTS = CLASSES.stream().map(Affect::forLabel).toArray(Affect[]::new);
  private static final Map<String, String> CATEGORY_NAMES = Map.ofEntries(
      Map.entry("ang", "Anger"), Map.entry("exc", "Excited"), Map.entry("fru", "Frustration"),
      Map.entry("hap", "Happiness"), Map.entry("neu", "Neutral"), Map.entry("sad", "Sadness"),
      Map.entry("sur", "Surprise"), Map.entry("fea", "Fear"), Map.entry("dis", "Disgust"), Map.entry("oth", "Other"));

  /** A dialog to render: its name, session, actors (0 = left) and utterances in time order. */
  record DialogPlan(int session, String name, Actor[] actors, List<PlannedUtterance> utterances,
                    List<TranscriptLine> extraLines, double duration) {}

  private final CorpusSettings settings;
  private final FacePainter painter;

  IemocapGenerator(CorpusSettings settings, FacePainter painter) {
    this.settings = settings;
    this.painter = painter;
  }

  List<DialogPlan> plan() {
    int perDialog = settings.iemocapUtterancesPerDialog();
    int dialogs = (settings.size() + perDialog - 1) / perDialog;
    Actor[][] sessionActors = new Actor[5][];
    for (int s = 0; s < 5; s++) {
      SplittableRandom rng = Seeds.stream(settings.seed(), "iemocap-session-" + (s + 1));
      sessionActors[s] = new Actor[] {Actor.random('F', rng), Actor.random('M', rng)};
    }
    List<DialogPlan> plans = new ArrayList<>();
    int remaining = settings.size();
    for (int d = 0; d < dialogs; d++) {
      int session = d % 5 + 1;
      int k = d / 5;
      char left = k % 2 == 0 ? 'F' : 'M';
      int j = k / 2;
      String name = j % 2 == 0
          ? String.format("Ses%02d%c_impro%02d", session, left, j / 2 + 1)
          : String.format("Ses%02d%c_script%02d_1", session, left, j / 2 + 1);
      Actor f = sessionActors[session - 1][0];
      Actor m = sessionActors[session - 1][1];
      Actor[] actors = left == 'F' ? new Actor[] {f, m} : new Actor[] {m, f};
      int count = Math.min(perDialog, remaining);
      remaining -= count;
      plans.add(planDialog(session, name, actors, count, Seeds.stream(settings.seed(), name)));
    }
    return plans;
  }

  private DialogPlan planDialog(int session, String name, Actor[] actors, int count, SplittableRandom rng) {
    List<PlannedUtterance> utterances = new ArrayList<>();
    List<TranscriptLine> extra = new ArrayList<>();
    int[] counters = new int[2];
    int speaker = rng.nextInt(2);
    double t = 1.0 + rng.nextDouble();
    for (int i = 0; i < count; i++) {
      if (i > 0 && rng.nextDouble() < 0.75) speaker = 1 - speaker;
      double length = settings.minUtteranceS() + rng.nextDouble() * (settings.maxUtteranceS() - settings.minUtteranceS());
      double start = PlannedUtterance.fileTime(t);
      double end = PlannedUtterance.fileTime(t + length);
      String id = String.format("%s_%c%03d", name, actors[speaker].letter(), counters[speaker]++);
      utterances.add(planUtterance(id, name, speaker, start, end, rng));
      double gap = 0.3 + rng.nextDouble() * 0.9;
      if (rng.nextDouble() < 0.1) {
        // Real transcriptions hold non-verbal turns (ids with XX) that EmoEvaluation never rates.
        String xx = String.format("%s_%cXX%d", name, actors[speaker].letter(), extra.size());
        extra.add(new TranscriptLine(xx, PlannedUtterance.fileTime(end + 0.05), PlannedUtterance.fileTime(end + gap - 0.05), "[LAUGHTER]"));
      }
      t = end + gap;
    }
    return new DialogPlan(session, name, actors, utterances, extra, t + 1.0);
  }

  private PlannedUtterance planUtterance(String id, String dialog, int speaker, double start, double end,
                                         SplittableRandom rng) {
    String label;
    Affect truth;
    String expected = PlannedUtterance.ACCEPTED;
    if (rng.nextDouble() < settings.iemocapOutOfClass()) {
      label = OUT_OF_CLASS.get(rng.nextInt(OUT_OF_CLASS.size()));
      truth = label.equals("xxx") ? CLASS_AFFECTS[rng.nextInt(CLASS_AFFECTS.length)] : Affect.forLabel(label);
      expected = "out_of_class";
    } else {
      label = CLASSES.get(Seeds.weighted(CLASS_WEIGHTS, rng));
      truth = Affect.forLabel(label);
    }
    Affect text = Seeds.maybeConfuse(truth, settings.noise(), CLASS_AFFECTS, rng);
    Affect voice = Seeds.maybeConfuse(truth, settings.noise(), CLASS_AFFECTS, rng);
    Affect face = Seeds.maybeConfuse(truth, settings.noise(), CLASS_AFFECTS, rng);
    String sentence = Lexicon.sentence(text, null, rng);
    return new PlannedUtterance(id, dialog, speaker, start, end, List.of(label), text, voice, face, sentence, expected);
  }

  /** Renders one dialog's four files. Returns the media seconds written. */
  double render(DialogPlan plan, Path releaseRoot) throws IOException {
    Path dialogDir = releaseRoot.resolve(RELEASE).resolve("Session" + plan.session()).resolve("dialog");
    Path avi = dialogDir.resolve("avi/DivX/" + plan.name() + ".avi");
    Path wav = dialogDir.resolve("wav/" + plan.name() + ".wav");
    Path transcript = dialogDir.resolve("transcriptions/" + plan.name() + ".txt");
    Path evaluation = dialogDir.resolve("EmoEvaluation/" + plan.name() + ".txt");
    for (Path p : List.of(avi, wav, transcript, evaluation)) Files.createDirectories(p.getParent());

    SplittableRandom rng = Seeds.stream(settings.seed(), plan.name() + "/media");
    int samples = (int) Math.ceil(plan.duration() * SAMPLE_RATE);
    float[][] channels = new float[2][samples];
    Performance performance = new Performance(2, plan.duration(), rng);
    for (PlannedUtterance u : plan.utterances()) {
      Actor actor = plan.actors()[u.actor()];
      VoiceSynth.Speech speech = VoiceSynth.speak(u.voiceAffect().voice(), actor.pitchHz(), actor.formantScale(),
          u.end() - u.start(), SAMPLE_RATE, rng);
      int offset = (int) Math.round(u.start() * SAMPLE_RATE);
      for (int i = 0; i < speech.samples().length && offset + i < samples; i++) {
        // Each lapel microphone also hears the other actor, much weaker.
        channels[u.actor()][offset + i] += speech.samples()[i];
        channels[1 - u.actor()][offset + i] += 0.12f * speech.samples()[i];
      }
      performance.add(new Performance.Turn(u.actor(), u.start(), u.end(), u.faceAffect().face(), speech.envelope(),
          SAMPLE_RATE));
    }
    for (float[] channel : channels) {
      for (int i = 0; i < samples; i++) channel[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.004);
    }
    WavWriter.write(wav, SAMPLE_RATE, channels);
    renderVideo(plan, avi, performance, rng);

    List<TranscriptLine> lines = new ArrayList<>();
    for (PlannedUtterance u : plan.utterances()) lines.add(new TranscriptLine(u.id(), u.start(), u.end(), u.text()));
    lines.addAll(plan.extraLines());
    lines.sort(Comparator.comparingDouble(TranscriptLine::startS));
    StringBuilder text = new StringBuilder();
    for (TranscriptLine line : lines) text.append(IemocapTranscriptFormat.format(line)).append('\n');
    Files.writeString(transcript, text, StandardCharsets.UTF_8);

    List<EmoEvaluation> entries = new ArrayList<>();
    for (PlannedUtterance u : plan.utterances()) entries.add(evaluation(u, plan.actors()[u.actor()].letter(), rng));
    Files.writeString(evaluation, IemocapEvaluationFormat.format(entries), StandardCharsets.UTF_8);
    return plan.duration();
  }

  private void renderVideo(DialogPlan plan, Path avi, Performance performance, SplittableRandom rng) throws IOException {
    int width = settings.iemocapWidth();
    int height = settings.iemocapHeight();
    BufferedImage backdrop = Backdrop.paint(width, height, rng);
    BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    double fps = settings.frameRate(FPS);
    int frames = (int) Math.floor(plan.duration() * fps);
    double[] sway = {rng.nextDouble() * 6, rng.nextDouble() * 6};
    try (VideoWriter writer = new VideoWriter(avi, VideoWriter.Container.DIVX_AVI, width, height, fps, 0, 0)) {
      for (int i = 0; i < frames; i++) {
        double t = i / fps;
        Graphics2D g = frame.createGraphics();
        g.drawImage(backdrop, 0, 0, null);
        for (int a = 0; a < 2; a++) {
          Performance.State state = performance.at(a, t);
          double half = width / 2.0;
          double size = height * 0.62 * plan.actors()[a].faceScale();
          double cx = half * a + half / 2 + Math.sin(0.7 * t + sway[a]) * width * 0.015;
          double cy = height * 0.5 + Math.cos(0.5 * t + sway[a]) * height * 0.02;
          painter.paint(g, cx, cy, size, state.face(), plan.actors()[a], state.talk(), state.blink(), a == 1);
        }
        g.dispose();
        writer.frame(frame);
      }
    }
  }

  private static EmoEvaluation evaluation(PlannedUtterance u, char speakerLetter, SplittableRandom rng) {
    String label = u.labels().get(0);
    double[] vad = switch (label) {
      case "ang" -> new double[] {1.5, 4.0, 4.0};
      case "exc" -> new double[] {4.0, 4.0, 3.5};
      case "fru" -> new double[] {2.0, 3.0, 3.0};
      case "hap" -> new double[] {4.0, 3.0, 3.0};
      case "sad" -> new double[] {1.5, 2.0, 2.0};
      default -> new double[] {3.0, 2.5, 2.5};
    };
    for (int i = 0; i < 3; i++) vad[i] = Math.max(1, Math.min(5, vad[i] + 0.5 * (rng.nextInt(3) - 1)));
    List<String> lines = new ArrayList<>();
    List<String> names = new ArrayList<>(CATEGORY_NAMES.values().stream().sorted().toList());
    for (String evaluator : List.of("C-E1", "C-E2", "C-E3", "C-" + speakerLetter + "1")) {
      String category = label.equals("xxx") || rng.nextDouble() < 0.2
          ? names.get(rng.nextInt(names.size())) : CATEGORY_NAMES.get(label);
      lines.add(evaluator + ":\t" + category + ";\t()");
    }
    for (String evaluator : List.of("A-E1", "A-E2", "A-" + speakerLetter + "1")) {
      lines.add(String.format("%s:\tval %d; act %d; dom  %d;\t()", evaluator,
          (int) Math.round(vad[0]), (int) Math.round(vad[1]), (int) Math.round(vad[2])));
    }
    return new EmoEvaluation(u.id(), u.start(), u.end(), label, vad[0], vad[1], vad[2], lines);
  }

}
