package ai.mesm.model.text;

import ai.mesm.io.Sha256;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hugging Face's slow {@code AlbertTokenizer} (tokenization_albert.py), id for id, for the
 * SentencePiece vocabulary of an ALBERT checkpoint. A text goes through:
 *
 * <ol>
 *   <li>{@code PreTrainedTokenizer.tokenize}: with do_lower_case, every character outside special
 *       tokens lower-cased on its own; the text split around the special tokens (a special token
 *       stays one token; [MASK] strips the whitespace on its left);
 *   <li>for each other part, {@code preprocess_text}: whitespace runs to one space (Python's
 *       whitespace), {@code ``} and {@code ''} to {@code "}, NFKD without combining marks, lower
 *       case;
 *   <li>SentencePiece encoding ({@link UnigramEncoder});
 *   <li>the digit-comma rule of {@code _tokenize}: a piece like "▁3," becomes "▁3", ",";
 *   <li>pieces to ids ({@code PieceToId}; unknown text gets the unknown id), then
 *       {@code [CLS] … [SEP]}, cut at the end and padded to the requested length.
 * </ol>
 *
 * <p>Serializable with plain fields: the model file's bytes and the settings travel, and each JVM
 * rebuilds the tries from them on first use, once per distinct model file (the engine is
 * transient, so Java serialisation and Kryo both work).
 */
public final class AlbertTokenizer implements TextTokenizer {
  private static final long serialVersionUID = 1L;
  public static final String TYPE = "albert-sentencepiece";
  public static final String MODEL_FILE = "spiece.model";
  public static final String CONFIG_FILE = "tokenizer_config.json";
  public static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";
  private static final String SPIECE_UNDERLINE = "\u2581";
  /** The special tokens AlbertTokenizer.__init__ defines, with its defaults; [MASK] strips whitespace on its left. */
  private static final String[][] SPECIAL_DEFAULTS = {
      {"bos_token", "[CLS]"}, {"eos_token", "[SEP]"}, {"unk_token", "<unk>"}, {"sep_token", "[SEP]"},
      {"pad_token", "<pad>"}, {"cls_token", "[CLS]"}, {"mask_token", "[MASK]"}};
  private static final List<String> REQUIRED = List.of("cls_token", "sep_token", "pad_token", "unk_token");

  private final byte[] spieceModel;
  private final String source;
  private final boolean doLowerCase;
  private final boolean removeSpace;
  private final boolean keepAccents;
  private final String cls;
  private final String sep;
  private final String pad;
  private final String unk;
  /** Tokens that are split off the text before SentencePiece sees it (Hugging Face's added/special tokens). */
  private final String[] splitTokens;
  private final boolean[] splitLstrip;
  private final boolean[] splitRstrip;
  /** Where each split token was defined, for messages; null after deserialisation. */
  private transient String[] splitOrigins;
  private transient volatile Engine engine;
  private static final Map<String, SoftReference<UnigramEncoder>> ENCODERS = new ConcurrentHashMap<>();

  /** What is rebuilt from the fields in each JVM. */
  private record Engine(UnigramEncoder encoder, int clsId, int sepId, int padId, int[] splitIds) {}

  private AlbertTokenizer(byte[] spieceModel, String source, boolean doLowerCase, boolean removeSpace, boolean keepAccents,
      String cls, String sep, String pad, String unk, List<SplitToken> split) {
    this.spieceModel = spieceModel;
    this.source = source;
    this.doLowerCase = doLowerCase;
    this.removeSpace = removeSpace;
    this.keepAccents = keepAccents;
    this.cls = cls;
    this.sep = sep;
    this.pad = pad;
    this.unk = unk;
    splitTokens = new String[split.size()];
    splitLstrip = new boolean[split.size()];
    splitRstrip = new boolean[split.size()];
    splitOrigins = new String[split.size()];
    for (int i = 0; i < split.size(); i++) {
      splitOrigins[i] = split.get(i).origin;
      splitTokens[i] = split.get(i).content;
      splitLstrip[i] = split.get(i).lstrip;
      splitRstrip[i] = split.get(i).rstrip;
    }
  }

  private record SplitToken(String content, boolean lstrip, boolean rstrip, String origin) {}

  // ---------------------------------------------------------------- reading

  /**
   * A tokenizer from a model folder's files: {@value #MODEL_FILE} (required) and either this class's
   * own {@value TextTokenizer#DESCRIPTOR} (as {@link #files()} writes it) or Hugging Face's
   * {@value #CONFIG_FILE} and {@value #SPECIAL_TOKENS_FILE} (both optional; a Hugging Face
   * tokenizer.json for the fast tokenizer is ignored).
   *
   * @param folder where the files came from, only for messages
   */
  public static AlbertTokenizer read(Map<String, byte[]> files, String folder) throws IOException {
    byte[] model = files.get(MODEL_FILE);
    String modelSource = folder + "/" + MODEL_FILE;
    if (model == null) throw new IOException(modelSource + " is missing");
    SentencePieceModel parsed = SentencePieceModel.parse(model, modelSource);
    JsonObject own = ownDescriptor(files, folder);
    AlbertTokenizer t = own != null ? fromDescriptor(own, model, folder) : fromHuggingFace(files, model, parsed, folder);
    t.engine = t.build(encoder(model, parsed, modelSource)); // checks the special tokens now, with a checked exception
    return t;
  }

  private static JsonObject ownDescriptor(Map<String, byte[]> files, String folder) throws IOException {
    byte[] bytes = files.get(DESCRIPTOR);
    if (bytes == null) return null;
    JsonObject o = json(bytes, folder + "/" + DESCRIPTOR);
    // Hugging Face's tokenizer.json (the fast tokenizer's file) has no "type" at the top.
    JsonElement type = o.get("type");
    return type != null && type.isJsonPrimitive() && TYPE.equals(type.getAsString()) ? o : null;
  }

  private static AlbertTokenizer fromDescriptor(JsonObject o, byte[] model, String folder) throws IOException {
    String file = folder + "/" + DESCRIPTOR;
    List<SplitToken> split = new ArrayList<>();
    JsonElement list = o.get("split_tokens");
    if (list == null || !list.isJsonArray()) throw new IOException(file + ": split_tokens missing or not a list");
    for (JsonElement e : list.getAsJsonArray()) {
      SplitToken s = addedToken(e, file, "split_tokens");
      if (s == null) throw new IOException(file + ": a split token without content");
      split.add(s);
    }
    return new AlbertTokenizer(model, folder + "/" + MODEL_FILE, bool(o, "do_lower_case", null, file),
        bool(o, "remove_space", null, file), bool(o, "keep_accents", null, file), string(o, "cls", file),
        string(o, "sep", file), string(o, "pad", file), string(o, "unk", file), split);
  }

  /** Settings as transformers' from_pretrained resolves them: tokenizer_config.json, then special_tokens_map.json over it. */
  private static AlbertTokenizer fromHuggingFace(Map<String, byte[]> files, byte[] model, SentencePieceModel parsed, String folder)
      throws IOException {
    String configFile = folder + "/" + CONFIG_FILE;
    String mapFile = folder + "/" + SPECIAL_TOKENS_FILE;
    JsonObject config = files.containsKey(CONFIG_FILE) ? json(files.get(CONFIG_FILE), configFile) : new JsonObject();
    JsonObject map = files.containsKey(SPECIAL_TOKENS_FILE) ? json(files.get(SPECIAL_TOKENS_FILE), mapFile) : new JsonObject();

    Map<String, SplitToken> specials = new LinkedHashMap<>();
    for (String[] d : SPECIAL_DEFAULTS) {
      String key = d[0];
      SplitToken token = new SplitToken(d[1], key.equals("mask_token"), false, "the default " + key);
      String file = null;
      for (var source : List.of(Map.entry(config, configFile), Map.entry(map, mapFile))) {
        if (source.getKey().has(key)) {
          token = specialToken(source.getKey().get(key), source.getValue(), key);
          file = source.getValue();
        }
      }
      boolean required = REQUIRED.contains(key);
      if (token == null && required) throw new IOException(file + ": " + key + " is null; an ALBERT tokenizer needs it");
      // A default the vocabulary lacks (a model without [MASK]) is not used; a token that a file names must exist.
      if (token != null && file == null && !required && !parsed.hasPiece(token.content)) token = null;
      specials.put(key, token);
    }
    // Added tokens: the newer added_tokens_decoder (with their flags) and additional_special_tokens.
    List<SplitToken> split = new ArrayList<>();
    JsonElement decoder = config.get("added_tokens_decoder");
    if (decoder != null && decoder.isJsonObject()) {
      for (var entry : decoder.getAsJsonObject().entrySet()) {
        SplitToken s = addedToken(entry.getValue(), configFile, "added_tokens_decoder");
        if (s == null) continue;
        if (parsed.hasPiece(s.content) && !entry.getKey().equals(String.valueOf(parsed.pieceToId(s.content)))) {
          throw new IOException(configFile + ": added_tokens_decoder gives \"" + s.content + "\" id " + entry.getKey()
              + ", but " + MODEL_FILE + " has it as " + parsed.pieceToId(s.content));
        }
        split.add(s);
      }
    }
    // additional_special_tokens: special_tokens_map.json's list replaces the config's, as for the other keys.
    boolean extraInMap = map.has("additional_special_tokens");
    JsonElement extra = (extraInMap ? map : config).get("additional_special_tokens");
    if (extra != null && extra.isJsonArray()) {
      for (JsonElement e : extra.getAsJsonArray()) {
        SplitToken s = addedToken(e, extraInMap ? mapFile : configFile, "additional_special_tokens");
        if (s != null) split.add(s);
      }
    }
    for (SplitToken s : specials.values()) if (s != null) split.add(s);
    List<SplitToken> unique = new ArrayList<>();
    for (SplitToken s : split) {
      // The first definition of a token wins: added_tokens_decoder keeps its own flags.
      if (unique.stream().noneMatch(u -> u.content.equals(s.content))) unique.add(s);
    }
    return new AlbertTokenizer(model, folder + "/" + MODEL_FILE, bool(config, "do_lower_case", true, configFile),
        bool(config, "remove_space", true, configFile), bool(config, "keep_accents", false, configFile),
        specials.get("cls_token").content, specials.get("sep_token").content, specials.get("pad_token").content,
        specials.get("unk_token").content, unique);
  }

  /** A special token given as a string or as an AddedToken object; [MASK] given as a string strips left, as AlbertTokenizer makes it. */
  private static SplitToken specialToken(JsonElement e, String file, String key) throws IOException {
    if (e == null || e.isJsonNull()) return null;
    if (e.isJsonPrimitive()) return new SplitToken(e.getAsString(), key.equals("mask_token"), false, file + " " + key);
    SplitToken s = addedToken(e, file, key);
    if (s == null) throw new IOException(file + ": " + key + " has no content");
    return s;
  }

  private static SplitToken addedToken(JsonElement e, String file, String what) throws IOException {
    if (e == null || e.isJsonNull()) return null;
    if (e.isJsonPrimitive()) return new SplitToken(e.getAsString(), false, false, file + " " + what);
    if (!e.isJsonObject()) throw new IOException(file + ": " + what + " entry is neither a string nor an object");
    JsonObject o = e.getAsJsonObject();
    JsonElement content = o.get("content");
    if (content == null || !content.isJsonPrimitive()) return null;
    if (content.getAsString().isEmpty()) throw new IOException(file + ": " + what + " has an empty token");
    return new SplitToken(content.getAsString(), bool(o, "lstrip", false, file), bool(o, "rstrip", false, file), file + " " + what);
  }

  private static JsonObject json(byte[] bytes, String file) throws IOException {
    try {
      JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
      if (!e.isJsonObject()) throw new IOException(file + ": not a JSON object");
      return e.getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
  }

  private static boolean bool(JsonObject o, String key, Boolean fallback, String file) throws IOException {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      if (fallback == null) throw new IOException(file + ": " + key + " missing");
      return fallback;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) throw new IOException(file + ": " + key + " is not true/false");
    return e.getAsBoolean();
  }

  private static String string(JsonObject o, String key, String file) throws IOException {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || e.getAsString().isEmpty()) throw new IOException(file + ": " + key + " missing");
    return e.getAsString();
  }

  private Engine build(UnigramEncoder encoder) throws IOException {
    SentencePieceModel model = encoder.model();
    int clsId = idOf(model, cls, "cls_token");
    int sepId = idOf(model, sep, "sep_token");
    int padId = idOf(model, pad, "pad_token");
    idOf(model, unk, "unk_token");
    int[] splitIds = new int[splitTokens.length];
    for (int i = 0; i < splitTokens.length; i++) splitIds[i] = idOf(model, splitTokens[i], "special token");
    return new Engine(encoder, clsId, sepId, padId, splitIds);
  }

  private int idOf(SentencePieceModel model, String token, String role) throws IOException {
    if (!model.hasPiece(token)) {
      String origin = "";
      for (int i = 0; splitOrigins != null && i < splitTokens.length && origin.isEmpty(); i++) {
        if (splitTokens[i].equals(token)) origin = ", from " + splitOrigins[i];
      }
      throw new IOException(source + " has no piece for " + role + " \"" + token + "\"" + origin
          + " (a token outside the SentencePiece vocabulary is not supported)");
    }
    return model.pieceToId(token);
  }

  /**
   * The encoder for a model file's bytes, shared by all tokenizers of this JVM that have the same
   * bytes: Spark deserialises the tokenizer for every task, and building the tries each time would
   * cost more than tokenizing a partition. Softly held, so memory pressure can drop it.
   */
  private static UnigramEncoder encoder(byte[] bytes, SentencePieceModel parsed, String source) throws IOException {
    String key = Sha256.hex(bytes);
    SoftReference<UnigramEncoder> cached = ENCODERS.get(key);
    UnigramEncoder encoder = cached == null ? null : cached.get();
    if (encoder == null) {
      encoder = new UnigramEncoder(parsed != null ? parsed : SentencePieceModel.parse(bytes, source));
      ENCODERS.put(key, new SoftReference<>(encoder));
    }
    return encoder;
  }

  private Engine engine() {
    Engine e = engine;
    if (e == null) {
      try {
        e = build(encoder(spieceModel, null, source));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex); // read() built it once already, so the bytes were valid
      }
      engine = e;
    }
    return e;
  }

  // ---------------------------------------------------------------- tokenizing

  /** tokenization_albert.py's preprocess_text. */
  public String preprocess(String text) {
    String out = removeSpace ? PythonText.joinWords(text) : text;
    out = out.replace("``", "\"").replace("''", "\"");
    if (!keepAccents) out = PythonText.stripAccents(out);
    if (doLowerCase) out = PythonText.lower(out);
    return out;
  }

  /** SentencePiece's pieces of a (preprocessed) text, before the digit-comma rule. */
  public List<String> sentencePieces(String preprocessed) {
    return engine().encoder().encode(preprocessed);
  }

  /** The pieces of a text as Hugging Face's {@code tokenize} gives them: no [CLS]/[SEP] added, special tokens in the text kept whole. */
  public List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (Chunk c : chunks(text)) {
      if (c.special >= 0) out.add(splitTokens[c.special]);
      else out.addAll(tokenizeChunk(c.text));
    }
    return out;
  }

  /** The ids of a text's pieces, without [CLS]/[SEP]. */
  public int[] ids(String text) {
    Engine e = engine();
    SentencePieceModel model = e.encoder().model();
    List<Integer> out = new ArrayList<>();
    for (Chunk c : chunks(text)) {
      if (c.special >= 0) out.add(e.splitIds()[c.special]);
      else for (String p : tokenizeChunk(c.text)) out.add(model.pieceToId(p));
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** "[CLS] ids… [SEP]", the pieces cut at the end to maxLength − 2, padded with the pad id; mask 1 on real tokens. */
  @Override
  public Encoding encode(String text, int maxLength) {
    if (maxLength < 2) throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]");
    Engine e = engine();
    int[] pieceIds = ids(text);
    int n = Math.min(pieceIds.length, maxLength - 2);
    int[] out = new int[maxLength];
    int[] mask = new int[maxLength];
    Arrays.fill(out, e.padId());
    out[0] = e.clsId();
    System.arraycopy(pieceIds, 0, out, 1, n);
    out[n + 1] = e.sepId();
    Arrays.fill(mask, 0, n + 2, 1);
    return new Encoding(out, mask);
  }

  @Override
  public int vocabSize() {
    return engine().encoder().model().size();
  }

  /** _tokenize: preprocess_text, SentencePiece, then the digit-comma rule. */
  private List<String> tokenizeChunk(String text) {
    List<String> pieces = sentencePieces(preprocess(text));
    List<String> out = new ArrayList<>(pieces.size() + 4);
    for (String piece : pieces) {
      // Python: len(piece) > 1 and piece[-1] == "," and piece[-2].isdigit()
      boolean digitComma = piece.length() > 1 && piece.charAt(piece.length() - 1) == ','
          && PythonText.isDigit(piece.codePointBefore(piece.length() - 1));
      if (digitComma) {
        // "▁3," is a piece of the vocabulary, but the number and the comma are meant to be two tokens.
        List<String> cur = new ArrayList<>(sentencePieces(piece.substring(0, piece.length() - 1).replace(SPIECE_UNDERLINE, "")));
        if (!piece.startsWith(SPIECE_UNDERLINE) && !cur.isEmpty() && cur.get(0).startsWith(SPIECE_UNDERLINE)) {
          if (cur.get(0).length() == 1) cur.remove(0);
          else cur.set(0, cur.get(0).substring(1));
        }
        out.addAll(cur);
        out.add(",");
      } else {
        out.add(piece);
      }
    }
    return out;
  }

  /** A part of the text: a special token (its index) or plain text (special = -1). */
  private record Chunk(String text, int special) {}

  /**
   * PreTrainedTokenizer.tokenize before _tokenize: lower-casing outside special tokens, the split
   * around them (leftmost, then longest), their lstrip/rstrip on the neighbouring text, and
   * empty parts dropped.
   */
  private List<Chunk> chunks(String text) {
    if (doLowerCase) text = lowerOutsideSpecials(text);
    List<Chunk> parts = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      int match = longestSplitTokenAt(text, i);
      if (match < 0) {
        i++;
        continue;
      }
      parts.add(new Chunk(text.substring(start, i), -1));
      parts.add(new Chunk(splitTokens[match], match));
      i += splitTokens[match].length();
      start = i;
    }
    parts.add(new Chunk(text.substring(start), -1));
    for (int k = 0; k < parts.size(); k++) {
      int s = parts.get(k).special;
      if (s < 0) continue;
      if (splitRstrip[s] && k + 1 < parts.size()) parts.set(k + 1, new Chunk(PythonText.stripLeading(parts.get(k + 1).text), -1));
      if (splitLstrip[s] && k > 0) parts.set(k - 1, new Chunk(PythonText.stripTrailing(parts.get(k - 1).text), -1));
    }
    parts.removeIf(c -> c.special < 0 && c.text.isEmpty());
    return parts;
  }

  /** Lower-cases every character on its own, leaving the special tokens (first listed match wins, as in the regex alternation) as they are. */
  private String lowerOutsideSpecials(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int match = -1;
      for (int s = 0; s < splitTokens.length && match < 0; s++) if (text.startsWith(splitTokens[s], i)) match = s;
      if (match >= 0) {
        out.append(splitTokens[match]);
        i += splitTokens[match].length();
      } else {
        int cp = text.codePointAt(i);
        PythonText.lowerOne(cp, out);
        i += Character.charCount(cp);
      }
    }
    return out.toString();
  }

  private int longestSplitTokenAt(String text, int at) {
    int best = -1;
    for (int s = 0; s < splitTokens.length; s++) {
      if (text.startsWith(splitTokens[s], at) && (best < 0 || splitTokens[s].length() > splitTokens[best].length())) best = s;
    }
    return best;
  }

  // ---------------------------------------------------------------- storing

  /** {@value TextTokenizer#DESCRIPTOR} (settings and special tokens) and {@value #MODEL_FILE} (the original bytes). */
  @Override
  public Map<String, byte[]> files() {
    JsonObject o = new JsonObject();
    o.addProperty("type", TYPE);
    o.addProperty("do_lower_case", doLowerCase);
    o.addProperty("remove_space", removeSpace);
    o.addProperty("keep_accents", keepAccents);
    o.addProperty("cls", cls);
    o.addProperty("sep", sep);
    o.addProperty("pad", pad);
    o.addProperty("unk", unk);
    JsonArray split = new JsonArray();
    for (int i = 0; i < splitTokens.length; i++) {
      JsonObject s = new JsonObject();
      s.addProperty("content", splitTokens[i]);
      s.addProperty("lstrip", splitLstrip[i]);
      s.addProperty("rstrip", splitRstrip[i]);
      split.add(s);
    }
    o.add("split_tokens", split);
    o.addProperty("model", MODEL_FILE);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(DESCRIPTOR, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o).getBytes(StandardCharsets.UTF_8));
    files.put(MODEL_FILE, spieceModel.clone());
    return files;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AlbertTokenizer t && doLowerCase == t.doLowerCase && removeSpace == t.removeSpace
        && keepAccents == t.keepAccents && cls.equals(t.cls) && sep.equals(t.sep) && pad.equals(t.pad) && unk.equals(t.unk)
        && Arrays.equals(splitTokens, t.splitTokens) && Arrays.equals(splitLstrip, t.splitLstrip)
        && Arrays.equals(splitRstrip, t.splitRstrip) && Arrays.equals(spieceModel, t.spieceModel);
  }

  @Override
  public int hashCode() {
    return Objects.hash(doLowerCase, removeSpace, keepAccents, cls, sep, pad, unk, Arrays.hashCode(splitTokens),
        Arrays.hashCode(spieceModel));
  }

  @Override
  public String toString() {
    return "AlbertTokenizer[" + source + ", " + spieceModel.length + " bytes, do_lower_case=" + doLowerCase
        + ", remove_space=" + removeSpace + ", keep_accents=" + keepAccents + ", split " + Arrays.toString(splitTokens) + "]";
  }
}
