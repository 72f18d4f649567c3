package ai.mesm.corpus;

import java.util.List;
import java.util.Map;

/**
 * The emotional states the generator can express, each with its cue in every modality: a face
 * style, a voice style and a vocabulary. The cues are stereotyped on purpose (and then blurred by
 * noise) so that each modality alone carries the label.
 */
public enum Affect {
  NEUTRAL(new FaceStyle(0, 0, 1.0, 0.0, 0.05, 1.0, 0, 0),
      new VoiceStyle(1.00, 0.05, 0.00, 4.0, 0.30, 1.0, 0, 0, 0.05),
      List.of("okay", "the meeting is at noon", "I read the report", "that is fine", "the schedule",
          "we can check later", "it is on the table", "sure")),
  ANGER(new FaceStyle(-1.0, -0.4, 0.65, -0.35, 0.35, 0.9, 0.8, 0.2),
      new VoiceStyle(1.25, 0.25, -0.05, 6.0, 0.85, 2.2, 0, 0, 0.10),
      List.of("furious", "how dare you", "I hate this", "this is outrageous", "get out",
          "unacceptable", "stop lying to me", "I am so angry")),
  EXCITED(new FaceStyle(0.2, 0.8, 1.35, 0.9, 0.7, 1.2, 0.3, 0),
      new VoiceStyle(1.55, 0.30, 0.20, 6.5, 0.75, 1.7, 0, 0, 0.05),
      List.of("wow", "I can't wait", "this is amazing", "incredible", "we did it",
          "fantastic news", "oh my god yes", "thrilled")),
  FRUSTRATED(new FaceStyle(-0.5, -0.2, 0.75, -0.3, 0.15, 0.85, 0.3, 0.1),
      new VoiceStyle(0.90, 0.10, -0.15, 3.5, 0.55, 1.3, 0, 0, 0.35),
      List.of("ugh", "not again", "why does this keep happening", "I give up", "this never works",
          "I am tired of waiting", "stuck", "so annoying")),
  HAPPY(new FaceStyle(0.1, 0.25, 0.85, 0.85, 0.2, 1.15, 0.2, 0),
      new VoiceStyle(1.30, 0.20, 0.10, 4.8, 0.50, 1.2, 0, 0, 0.05),
      List.of("I am so glad", "lovely", "that makes me happy", "wonderful", "thank you so much",
          "what a nice day", "pleased", "I love it")),
  SAD(new FaceStyle(1.0, 0.1, 0.6, -0.8, 0.05, 0.8, 0, 0),
      new VoiceStyle(0.78, 0.04, -0.20, 2.4, 0.15, 0.6, 0, 0, 0.25),
      List.of("I miss her", "I am sorry", "so lonely", "I want to cry", "we lost everything",
          "he is gone", "nothing matters", "heartbroken")),
  DISGUST(new FaceStyle(-0.6, -0.3, 0.55, -0.5, 0.25, 0.7, 0.1, 1.0),
      new VoiceStyle(0.85, 0.12, -0.10, 3.0, 0.45, 0.9, 0, 0, 0.45),
      List.of("gross", "that is disgusting", "yuck", "it smells rotten", "revolting",
          "I feel sick", "nasty", "repulsive")),
  FEAR(new FaceStyle(0.9, 0.7, 1.45, -0.25, 0.45, 1.05, 0, 0),
      new VoiceStyle(1.45, 0.15, 0.05, 5.5, 0.30, 1.0, 9.0, 0.06, 0.30),
      List.of("I am scared", "please don't", "what was that", "terrifying", "help me",
          "I am afraid", "someone is there", "run")),
  SURPRISE(new FaceStyle(0.3, 1.0, 1.5, 0.1, 0.9, 0.75, 0.1, 0),
      new VoiceStyle(1.40, 0.45, 0.35, 4.5, 0.70, 1.5, 0, 0, 0.10),
      List.of("really", "no way", "I did not expect that", "what", "you are kidding",
          "unbelievable", "oh", "seriously"));

  private final FaceStyle face;
  private final VoiceStyle voice;
  private final List<String> cues;

  Affect(FaceStyle face, VoiceStyle voice, List<String> cues) {
    this.face = face;
    this.voice = voice;
    this.cues = cues;
  }

  public FaceStyle face() {
    return face;
  }

  public VoiceStyle voice() {
    return voice;
  }

  public List<String> cues() {
    return cues;
  }

  private static final Map<String, Affect> BY_LABEL = Map.ofEntries(
      Map.entry("neu", NEUTRAL), Map.entry("ang", ANGER), Map.entry("exc", EXCITED),
      Map.entry("fru", FRUSTRATED), Map.entry("hap", HAPPY), Map.entry("sad", SAD),
      Map.entry("dis", DISGUST), Map.entry("fea", FEAR), Map.entry("sur", SURPRISE),
      Map.entry("oth", NEUTRAL),
      Map.entry("anger", ANGER), Map.entry("disgust", DISGUST), Map.entry("fear", FEAR),
      Map.entry("happy", HAPPY), Map.entry("surprise", SURPRISE));

  /** The affect that expresses a dataset label (IEMOCAP or MOSEI class name). */
  public static Affect forLabel(String label) {
    Affect a = BY_LABEL.get(label);
    if (a == null) throw new IllegalArgumentException("no affect for label " + label);
    return a;
  }
}
