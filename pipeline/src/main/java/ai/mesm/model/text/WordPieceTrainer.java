package ai.mesm.model.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Learns a WordPiece vocabulary from the TRAIN split's transcripts only (never valid or test, so
 * that evaluation stays honest): all characters first (as word starts and as "##" continuations),
 * then repeatedly the merge of two adjacent pieces with the best likelihood score
 * count(ab) / (count(a)·count(b)), as WordPiece does, until the vocabulary is full. Deterministic:
 * ties go to the lexicographically smallest pair.
 */
public final class WordPieceTrainer {
  private WordPieceTrainer() {}

  public static WordPieceTokenizer train(Iterable<String> texts, int vocabSize, int minWordCount) {
    Map<String, Integer> wordCounts = new TreeMap<>();
    for (String text : texts) for (String w : TextNormalizer.words(text)) wordCounts.merge(w, 1, Integer::sum);
    wordCounts.values().removeIf(c -> c < minWordCount);

    // Each word as a list of its current pieces.
    Map<String, List<String>> split = new HashMap<>();
    Set<String> vocab = new LinkedHashSet<>(WordPieceTokenizer.SPECIAL);
    Set<String> alphabet = new TreeSet<>();
    for (String w : wordCounts.keySet()) {
      List<String> pieces = new ArrayList<>();
      for (int i = 0; i < w.length(); ) {
        int cp = w.codePointAt(i);
        String ch = new String(Character.toChars(cp));
        pieces.add(i == 0 ? ch : "##" + ch);
        i += Character.charCount(cp);
      }
      split.put(w, pieces);
      alphabet.addAll(pieces);
    }
    vocab.addAll(alphabet);
    while (vocab.size() < vocabSize) {
      Map<String, Long> pieceCounts = new HashMap<>();
      Map<String, Long> pairCounts = new TreeMap<>();
      for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
        List<String> p = split.get(e.getKey());
        for (int i = 0; i < p.size(); i++) {
          pieceCounts.merge(p.get(i), (long) e.getValue(), Long::sum);
          if (i + 1 < p.size()) pairCounts.merge(p.get(i) + "\u0000" + p.get(i + 1), (long) e.getValue(), Long::sum);
        }
      }
      String best = null;
      double bestScore = -1;
      for (Map.Entry<String, Long> e : pairCounts.entrySet()) {
        String[] ab = e.getKey().split("\u0000", 2);
        double score = e.getValue() / ((double) pieceCounts.get(ab[0]) * pieceCounts.get(ab[1]));
        if (score > bestScore) {
          bestScore = score;
          best = e.getKey();
        }
      }
      if (best == null) break; // every word is a single piece: nothing left to merge
      String[] ab = best.split("\u0000", 2);
      String merged = ab[0] + (ab[1].startsWith("##") ? ab[1].substring(2) : ab[1]);
      vocab.add(merged);
      for (List<String> p : split.values()) {
        for (int i = 0; i + 1 < p.size(); i++) {
          if (p.get(i).equals(ab[0]) && p.get(i + 1).equals(ab[1])) {
            p.set(i, merged);
            p.remove(i + 1);
          }
        }
      }
    }
    return new WordPieceTokenizer(new ArrayList<>(vocab));
  }
}
