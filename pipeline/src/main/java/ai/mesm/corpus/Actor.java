package ai.mesm.corpus;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * One synthetic speaker: the sex letter used in IEMOCAP ids, a voice and a look.
 *
 * @param letter      'F' or 'M', as in utterance ids such as Ses01F_impro01_F000
 * @param pitchHz     neutral F0
 * @param formantScale vocal-tract scale (female voices have higher formants)
 */
record Actor(char letter, double pitchHz, double formantScale, Color skin, Color hair, double faceScale) {

  static Actor random(char letter, SplittableRandom rng) {
    boolean female = letter == 'F';
    double pitch = (female ? 205 : 115) * (0.9 + 0.2 * rng.nextDouble());
    int tone = 150 + rng.nextInt(90);
    Color skin = new Color(Math.min(255, tone + 40), Math.min(255, tone + 5), Math.max(0, tone - 35));
    Color hair = new Color(20 + rng.nextInt(90), 15 + rng.nextInt(60), 10 + rng.nextInt(40));
    return new Actor(letter, pitch, female ? 1.15 : 1.0, skin, hair, 0.9 + 0.15 * rng.nextDouble());
  }
}
