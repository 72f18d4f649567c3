package ai.mesm.model.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A WordPiece tokenizer (BERT's scheme): basic normalisation, then greedy longest-match subwords,
 * continuation pieces prefixed "##", [UNK] for a word that cannot be covered. Sequences are
 * "[CLS] … [SEP]" truncated to the configured length (paper Table 6: 50 for FE2E, 100 for MESM),
 * padded with [PAD] = 0. Saved as JSON next to the model, so a model always reads text the way it
 * was trained.
 */
public final class WordPieceTokenizer implements TextTokenizer {
  private static final long serialVersionUID = 1L;
  public static final String PAD = "[PAD]";
  public static final String UNK = "[UNK]";
  public static final String CLS = "[CLS]";
  public static final String SEP = "[SEP]";
  public static final List<String> SPECIAL = List.of(PAD, UNK, CLS, SEP);
  private static final int MAX_WORD_CHARS = 100;

  private final List<String> vocab;
  private final Map<String, Integer> ids = new HashMap<>();

  public WordPieceTokenizer(List<String> vocab) {
    if (vocab.size() < SPECIAL.size() || !vocab.subList(0, SPECIAL.size()).equals(SPECIAL)) {
      throw new IllegalArgumentException("a vocabulary starts with " + SPECIAL);
    }
    this.vocab = List.copyOf(vocab);
    for (int i = 0; i < vocab.size(); i++) {
      if (ids.putIfAbsent(vocab.get(i), i) != null) throw new IllegalArgumentException("duplicate piece " + vocab.get(i));
    }
  }

  /** A vocabulary of {@code size} pieces, the special ones then "w4", "w5", …: for benchmarks and tests that feed ids. */
  public static WordPieceTokenizer numbered(int size) {
    List<String> vocab = new ArrayList<>(SPECIAL);
    for (int i = vocab.size(); i < size; i++) vocab.add("w" + i);
    return new WordPieceTokenizer(vocab);
  }

  @Override
  public int vocabSize() {
    return vocab.size();
  }

  public int id(String piece) {
    return ids.getOrDefault(piece, ids.get(UNK));
  }

  public String piece(int id) {
    return vocab.get(id);
  }

  /** The subword pieces of a text, without special tokens. */
  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    for (String word : TextNormalizer.words(text)) out.addAll(pieces(word));
    return out;
  }

  List<String> pieces(String word) {
    if (word.length() > MAX_WORD_CHARS) return List.of(UNK);
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      String found = null;
      while (start < end) {
        String candidate = (start > 0 ? "##" : "") + word.substring(start, end);
        if (ids.containsKey(candidate)) {
          found = candidate;
          break;
        }
        end--;
      }
      if (found == null) return List.of(UNK);
      out.add(found);
      start = end;
    }
    return out;
  }

  /** "[CLS] pieces… [SEP]", truncated so that [SEP] always ends the sequence, padded to maxLength. */
  @Override
  public Encoding encode(String text, int maxLength) {
    if (maxLength < 2) throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]");
    List<String> pieces = tokenize(text);
    int n = Math.min(pieces.size(), maxLength - 2);
    int[] out = new int[maxLength];
    int[] mask = new int[maxLength];
    out[0] = ids.get(CLS);
    for (int i = 0; i < n; i++) out[i + 1] = id(pieces.get(i));
    out[n + 1] = ids.get(SEP);
    for (int i = 0; i < n + 2; i++) mask[i] = 1;
    return new Encoding(out, mask);
  }

  @Override
  public Map<String, byte[]> files() {
    return Map.of(DESCRIPTOR, toJson().getBytes(StandardCharsets.UTF_8));
  }

  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("type", "wordpiece");
    o.addProperty("lowercase", true);
    JsonArray v = new JsonArray();
    vocab.forEach(v::add);
    o.add("vocab", v);
    return new GsonBuilder().setPrettyPrinting().create().toJson(o);
  }

  public static WordPieceTokenizer fromJson(String json) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    if (!"wordpiece".equals(o.get("type").getAsString())) {
      throw new IllegalArgumentException("not a wordpiece tokenizer: " + o.get("type"));
    }
    List<String> vocab = new ArrayList<>();
    o.getAsJsonArray("vocab").forEach(e -> vocab.add(e.getAsString()));
    return new WordPieceTokenizer(vocab);
  }

  @Override
  public String toString() {
    return "WordPieceTokenizer[" + vocab.size() + " pieces]" + new Gson().toJson(vocab.subList(0, Math.min(8, vocab.size())));
  }
}
