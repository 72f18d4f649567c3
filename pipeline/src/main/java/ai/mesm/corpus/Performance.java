package ai.mesm.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each actor's face does over time: the expression of the utterance being spoken (eased in
 * and out), lips moving with the voice's envelope, and blinks. Between turns faces are neutral.
 */
final class Performance {
  private static final double EASE_S = 0.15;

  /** One spoken turn: who, when, with which face, and the voice envelope (per audio sample). */
  record Turn(int actor, double start, double end, FaceStyle face, float[] envelope, int envelopeRate) {}

  /** Face state of one actor at one instant. */
  record State(FaceStyle face, double talk, double blink) {}

  private final List<List<Turn>> turnsByActor = new ArrayList<>();
  private final List<double[]> blinksByActor = new ArrayList<>();

  Performance(int actors, double duration, SplittableRandom rng) {
    for (int a = 0; a < actors; a++) {
      turnsByActor.add(new ArrayList<>());
      List<Double> blinks = new ArrayList<>();
      for (double t = rng.nextDouble() * 2; t < duration; t += 2.0 + rng.nextDouble() * 3.0) blinks.add(t);
      blinksByActor.add(blinks.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  void add(Turn turn) {
    turnsByActor.get(turn.actor()).add(turn);
  }

  State at(int actor, double t) {
    double blink = 0;
    for (double b : blinksByActor.get(actor)) {
      double d = t - b;
      if (d >= 0 && d < 0.15) blink = Math.sin(Math.PI * d / 0.15);
    }
    for (Turn turn : turnsByActor.get(actor)) {
      if (t >= turn.start() - EASE_S && t < turn.end() + EASE_S) {
        double weight = Math.min(1, Math.min((t - turn.start() + EASE_S) / EASE_S, (turn.end() + EASE_S - t) / EASE_S));
        int i = (int) ((t - turn.start()) * turn.envelopeRate());
        double talk = i >= 0 && i < turn.envelope().length ? turn.envelope()[i] : 0;
        return new State(blend(Affect.NEUTRAL.face(), turn.face(), Math.max(0, weight)), talk, blink);
      }
    }
    return new State(Affect.NEUTRAL.face(), 0, blink);
  }

  private static FaceStyle blend(FaceStyle a, FaceStyle b, double w) {
    return new FaceStyle(
        lerp(a.browTilt(), b.browTilt(), w), lerp(a.browLift(), b.browLift(), w), lerp(a.eyeOpen(), b.eyeOpen(), w),
        lerp(a.mouthCurve(), b.mouthCurve(), w), lerp(a.mouthOpen(), b.mouthOpen(), w),
        lerp(a.mouthWidth(), b.mouthWidth(), w), lerp(a.flush(), b.flush(), w), lerp(a.noseWrinkle(), b.noseWrinkle(), w));
  }

  private static double lerp(double a, double b, double w) {
    return a + (b - a) * w;
  }
}
