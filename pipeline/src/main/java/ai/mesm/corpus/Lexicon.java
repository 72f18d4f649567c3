package ai.mesm.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Sentences whose wording carries the emotion: a cue phrase of the affect among neutral filler. */
final class Lexicon {
  private static final String[] FILLER = {
      "well", "you know", "I think", "about", "the car", "yesterday", "with my brother", "and then",
      "at home", "after work", "they said", "this morning", "so", "actually", "the letter", "again",
      "right now", "at the office", "on the phone", "last week", "my mother", "the kids", "just",
      "tonight", "in the kitchen", "the money", "downtown", "her friend"};

  private Lexicon() {}

  static String sentence(Affect affect, Affect secondary, SplittableRandom rng) {
    List<String> words = new ArrayList<>();
    addFiller(words, rng.nextInt(3), rng);
    words.add(pick(affect.cues(), rng));
    addFiller(words, rng.nextInt(4), rng);
    if (secondary != null) {
      words.add(pick(secondary.cues(), rng));
    } else if (rng.nextDouble() < 0.4) {
      words.add(pick(affect.cues(), rng));
    }
    addFiller(words, rng.nextInt(3), rng);
    String text = String.join(" ", words);
    String end = switch (affect) {
      case ANGER, EXCITED -> "!";
      case SURPRISE -> "?";
      default -> ".";
    };
    return Character.toUpperCase(text.charAt(0)) + text.substring(1) + end;
  }

  private static void addFiller(List<String> words, int count, SplittableRandom rng) {
    for (int i = 0; i < count; i++) words.add(FILLER[rng.nextInt(FILLER.length)]);
  }

  private static String pick(List<String> options, SplittableRandom rng) {
    return options.get(rng.nextInt(options.size()));
  }
}
