package ai.mesm.model.text;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest {
  private static final WordPieceTokenizer SMALL = new WordPieceTokenizer(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]",
      "un", "##aff", "##able", "a", "##b", "!", "hello", ",", "world"));

  @Test
  void normalisationLowercasesStripsAccentsAndSplitsPunctuation() {
    assertEquals(List.of("hello", ",", "world", "!"), TextNormalizer.words("Héllo,  WORLD!"));
    assertEquals(List.of("don", "'", "t"), TextNormalizer.words("Don't"));
  }

  @Test
  void greedyLongestMatchWithContinuationPieces() {
    assertEquals(List.of("un", "##aff", "##able"), SMALL.tokenize("unaffable"));
    assertEquals(List.of("a", "##b", "##b"), SMALL.tokenize("abb"));
    assertEquals(List.of("[UNK]", "!"), SMALL.tokenize("xyz!"), "a word that cannot be covered is one [UNK]");
  }

  @Test
  void encodingIsClsPiecesSepTruncatedAndPadded() {
    Encoding e = SMALL.encode("Hello, world!", 8);
    assertArrayEquals(new int[] {2, 10, 11, 12, 9, 3, 0, 0}, e.ids());
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 0, 0}, e.mask());
    Encoding cut = SMALL.encode("Hello, world!", 4);
    assertArrayEquals(new int[] {2, 10, 11, 3}, cut.ids(), "[SEP] always ends a truncated sequence");
    assertEquals(2, SMALL.encode("", 5).length());
  }

  @Test
  void trainingLearnsFrequentWordsFromTrainTextOnlyAndIsDeterministic() {
    List<String> train = new ArrayList<>();
    for (int i = 0; i < 20; i++) train.add("I am so happy today, happy happy!");
    for (int i = 0; i < 15; i++) train.add("I miss her, so lonely and sad.");
    WordPieceTokenizer t = WordPieceTrainer.train(train, 60, 1);
    assertEquals(t.toJson(), WordPieceTrainer.train(train, 60, 1).toJson());
    assertEquals(List.of("happy"), t.tokenize("Happy"));
    assertEquals(List.of("lonely"), t.tokenize("lonely"));
    // Unseen words made of seen characters decompose; an unseen character is [UNK].
    // "sadly": s, ##a, ##d (sad), ##l (lonely), ##y (happy) all occur in training words.
    assertFalse(t.tokenize("sadly").contains("[UNK]"), t.tokenize("sadly").toString());
    assertEquals(List.of("[UNK]"), t.tokenize("zzz"));
    assertTrue(t.vocabSize() <= 60);
  }

  @Test
  void savedTokenizerReadsTextTheSameWay() {
    WordPieceTokenizer t = WordPieceTrainer.train(List.of("the meeting is at noon", "ugh not again"), 40, 1);
    WordPieceTokenizer back = WordPieceTokenizer.fromJson(t.toJson());
    assertArrayEquals(t.encode("not at noon again", 12).ids(), back.encode("not at noon again", 12).ids());
    assertThrows(IllegalArgumentException.class, () -> new WordPieceTokenizer(List.of("a", "b")));
  }
}
