package ai.mesm.model.text;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * AlbertTokenizer against the albert-tiny fixture, whose cases.json holds what Hugging Face's slow
 * AlbertTokenizer (with sentencepiece) produced; see the fixture's README.md.
 */
class AlbertTokenizerTest {
  private static final String FIXTURE = "/fixtures/albert-tiny/";
  private static final String FOLDER = "albert-tiny";
  private static Map<String, byte[]> files;
  private static JsonObject reference;
  private static AlbertTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    files = new HashMap<>();
    for (String name : List.of("spiece.model", "tokenizer_config.json", "special_tokens_map.json")) files.put(name, resource(name));
    reference = JsonParser.parseString(new String(resource("cases.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    tokenizer = AlbertTokenizer.read(files, FOLDER);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AlbertTokenizerTest.class.getResourceAsStream(FIXTURE + name)) {
      assertNotNull(in, "fixture file " + name + " on the test classpath");
      return in.readAllBytes();
    }
  }

  private static List<String> strings(JsonElement array) {
    List<String> out = new ArrayList<>();
    array.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static int[] ints(JsonElement array) {
    JsonArray a = array.getAsJsonArray();
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
    return out;
  }

  private static List<JsonObject> cases() {
    List<JsonObject> out = new ArrayList<>();
    reference.getAsJsonArray("cases").forEach(e -> out.add(e.getAsJsonObject()));
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyReferenceCaseMatchesHuggingFace() {
    int maxLength = reference.get("max_length").getAsInt();
    assertEquals(64, maxLength);
    assertEquals(11, cases().size());
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> {
      String text = c.get("text").getAsString();
      String preprocessed = tokenizer.preprocess(text);
      assertEquals(c.get("preprocessed").getAsString(), preprocessed, "preprocess_text");
      assertEquals(strings(c.get("sp_pieces")), tokenizer.sentencePieces(preprocessed), "SentencePiece pieces");

      List<String> pieces = tokenizer.pieces(text);
      int untruncated = c.get("untruncated_length").getAsInt();
      assertEquals(untruncated, pieces.size() + 2, "untruncated length");
      List<String> tokens = strings(c.get("tokens"));
      int kept = tokens.size() - 2;
      assertEquals(tokens.subList(1, tokens.size() - 1), pieces.subList(0, kept), "pieces after the digit-comma rule");

      int[] expectedIds = ints(c.get("input_ids"));
      int[] expectedMask = ints(c.get("attention_mask"));
      Encoding e = tokenizer.encode(text, maxLength);
      assertEquals(maxLength, e.ids().length);
      assertArrayEquals(expectedIds, Arrays.copyOf(e.ids(), expectedIds.length), "input_ids");
      assertArrayEquals(expectedMask, Arrays.copyOf(e.mask(), expectedMask.length), "attention_mask");
      for (int i = expectedIds.length; i < maxLength; i++) {
        assertEquals(0, e.ids()[i], "padding id at " + i);
        assertEquals(0, e.mask()[i], "padding mask at " + i);
      }
      assertEquals(Math.min(untruncated, maxLength), e.length());
    }));
  }

  @Test
  void longTextIsCutTo64WithSepLast() {
    JsonObject c = cases().stream().filter(x -> x.get("name").getAsString().equals("long")).findFirst().orElseThrow();
    Encoding e = tokenizer.encode(c.get("text").getAsString(), 64);
    assertEquals(151, c.get("untruncated_length").getAsInt());
    assertEquals(64, e.length());
    assertEquals(2, e.ids()[0]);
    assertEquals(3, e.ids()[63], "[SEP] ends a truncated sequence");
    assertArrayEquals(ints(c.get("input_ids")), e.ids());
    assertEquals(2, tokenizer.encode(c.get("text").getAsString(), 2).length(), "only [CLS] [SEP] fit");
  }

  @Test
  void paddedBatchMatches() {
    JsonObject batch = reference.getAsJsonObject("batch");
    List<String> texts = strings(batch.get("texts"));
    JsonArray ids = batch.getAsJsonArray("input_ids");
    JsonArray masks = batch.getAsJsonArray("attention_mask");
    for (int i = 0; i < texts.size(); i++) {
      int[] expected = ints(ids.get(i));
      Encoding e = tokenizer.encode(texts.get(i), expected.length);
      assertArrayEquals(expected, e.ids(), texts.get(i));
      assertArrayEquals(ints(masks.get(i)), e.mask(), texts.get(i));
    }
  }

  @Test
  void specialIdsAndVocabularyComeFromTheModel() {
    JsonObject special = reference.getAsJsonObject("special_token_ids");
    assertEquals(1000, tokenizer.vocabSize());
    Encoding e = tokenizer.encode("", 4);
    assertArrayEquals(new int[] {special.get("[CLS]").getAsInt(), special.get("[SEP]").getAsInt(),
        special.get("<pad>").getAsInt(), special.get("<pad>").getAsInt()}, e.ids());
    assertArrayEquals(new int[] {1, 1, 0, 0}, e.mask());
    assertEquals(List.of("\u2581he", "l", "lo", ",", "\u2581wor", "ld", "!"), tokenizer.pieces("  HELLO,\u00a0world! "));
  }

  @Test
  void specialTokensInTheTextStayWholeAsInHuggingFaceTokenize() {
    // PreTrainedTokenizer.tokenize splits special tokens off before _tokenize sees the text.
    List<String> pieces = tokenizer.pieces("hello [MASK] world");
    assertTrue(pieces.contains("[MASK]"), pieces.toString());
    int[] ids = tokenizer.ids("hello [MASK] world");
    assertEquals(4, ids[pieces.indexOf("[MASK]")]);
    assertEquals(tokenizer.pieces("hello"), tokenizer.pieces("hello[SEP]").subList(0, tokenizer.pieces("hello").size()));
    // transformers lower-cases outside special tokens first and splits after, so "<PAD>" becomes the pad token.
    assertArrayEquals(new int[] {0}, tokenizer.ids("<PAD>"));
    assertArrayEquals(tokenizer.ids("[cls]"), tokenizer.ids("[Cls]"), "only the exact special token is split off");
  }

  @Test
  void charsmapNormalizesAsSentencePieceNmtNfkc() {
    assertEquals(tokenizer.sentencePieces("file"), tokenizer.sentencePieces("\ufb01le"), "ligature");
    assertEquals(tokenizer.sentencePieces("abc"), tokenizer.sentencePieces("\uff41\uff42\uff43"), "full-width letters");
    assertEquals(List.of("\u2581", "\u00e9"), tokenizer.sentencePieces("e\u0301"), "composed, then unknown as its normalized text");
    assertEquals(tokenizer.sentencePieces("a b"), tokenizer.sentencePieces("\u200b a\u3000\u3000b\t"), "spaces and zero-width space");
    assertEquals(List.of(), tokenizer.sentencePieces(" \t "));
  }

  @Test
  void digitCommaRuleSplitsPiecesEndingInDigitComma() {
    List<String> sp = tokenizer.sentencePieces(tokenizer.preprocess("3, 2, 1"));
    assertTrue(sp.contains("\u25813,"), sp.toString());
    List<String> pieces = tokenizer.pieces("3, 2, 1");
    assertFalse(pieces.contains("\u25813,"), pieces.toString());
    assertEquals(List.of("\u25813", ","), pieces.subList(0, 2));
  }

  @Test
  void filesRoundTripGivesAnEqualTokenizer() throws Exception {
    Map<String, byte[]> stored = tokenizer.files();
    assertEquals(Set.of(TextTokenizer.DESCRIPTOR, "spiece.model"), stored.keySet());
    assertArrayEquals(files.get("spiece.model"), stored.get("spiece.model"), "the original model bytes");
    JsonObject descriptor = JsonParser.parseString(new String(stored.get(TextTokenizer.DESCRIPTOR), StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("albert-sentencepiece", descriptor.get("type").getAsString());
    assertTrue(descriptor.get("do_lower_case").getAsBoolean());
    assertTrue(descriptor.get("remove_space").getAsBoolean());
    assertFalse(descriptor.get("keep_accents").getAsBoolean());
    assertEquals("[CLS]", descriptor.get("cls").getAsString());

    AlbertTokenizer back = AlbertTokenizer.read(stored, "stored");
    assertEquals(tokenizer, back);
    assertEquals(tokenizer.hashCode(), back.hashCode());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(tokenizer);
    }
    AlbertTokenizer shipped;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (AlbertTokenizer) in.readObject();
    }
    for (JsonObject c : cases()) {
      String text = c.get("text").getAsString();
      assertArrayEquals(tokenizer.encode(text, 64).ids(), back.encode(text, 64).ids(), c.get("name").getAsString());
      assertArrayEquals(tokenizer.encode(text, 64).ids(), shipped.encode(text, 64).ids(), "after Java serialisation");
    }

    Map<String, byte[]> withFastFile = new HashMap<>(files);
    withFastFile.put(TextTokenizer.DESCRIPTOR, "{\"version\":\"1.0\",\"model\":{\"type\":\"Unigram\"}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(tokenizer, AlbertTokenizer.read(withFastFile, FOLDER), "Hugging Face's fast tokenizer.json is ignored");
  }

  @Test
  void settingsComeFromTokenizerConfig() throws IOException {
    Map<String, byte[]> keep = new HashMap<>(files);
    keep.put("tokenizer_config.json", "{\"do_lower_case\": false, \"keep_accents\": true}".getBytes(StandardCharsets.UTF_8));
    AlbertTokenizer t = AlbertTokenizer.read(keep, FOLDER);
    assertEquals("Café Ünïcode", t.preprocess(" Café \t Ünïcode "));
    assertNotEquals(tokenizer, t);
    assertEquals(t, AlbertTokenizer.read(t.files(), "again"));
    Map<String, byte[]> spaces = new HashMap<>(files);
    spaces.put("tokenizer_config.json", "{\"remove_space\": false}".getBytes(StandardCharsets.UTF_8));
    assertEquals(" a\t b ", AlbertTokenizer.read(spaces, FOLDER).preprocess(" A\t B "));
    Map<String, byte[]> onlyModel = Map.of("spiece.model", files.get("spiece.model"));
    assertEquals(tokenizer, AlbertTokenizer.read(onlyModel, FOLDER), "defaults are the fixture's settings");
  }

  @Test
  void preprocessFollowsPython() {
    // str.split() whitespace includes U+00A0, U+2009, U+3000, U+0085 and U+001F; NFKD drops accents; `` and '' become ".
    assertEquals("a b c d e", tokenizer.preprocess("\u3000a\u00a0b\u2009c\u0085d\u001fe\u2028"));
    assertEquals("\"quoted\" resume naive", tokenizer.preprocess("``Quoted'' Résumé NAÏVE"));
    assertEquals("1\u20442 fi ...", tokenizer.preprocess("½ ﬁ …"));
    assertEquals("a\u200bb", tokenizer.preprocess("A\u200bB"), "U+200B is not whitespace for Python");
    assertEquals("\u03bf\u03b4\u03bf\u03c2 \u03c3", tokenizer.preprocess("ΟΔΟΣ Σ"), "final sigma as str.lower");
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void missingModelFileIsReported() {
    IOException e = assertThrows(IOException.class, () -> AlbertTokenizer.read(Map.of(), "somewhere"));
    assertTrue(e.getMessage().contains("somewhere/spiece.model"), e.getMessage());
  }

  @Test
  void truncatedModelIsRefusedWithTheFileName() {
    byte[] model = files.get("spiece.model");
    for (int cut : new int[] {1, 3, 8000, 16400, model.length / 2, model.length - 1}) {
      Map<String, byte[]> broken = new HashMap<>(files);
      broken.put("spiece.model", Arrays.copyOf(model, cut));
      IOException e = assertThrows(IOException.class, () -> AlbertTokenizer.read(broken, FOLDER), "cut at " + cut);
      assertTrue(e.getMessage().contains("albert-tiny/spiece.model"), e.getMessage());
    }
  }

  @Test
  void lengthPointingPastTheEndIsRefused() {
    // field 1 (pieces), length-delimited, says 127 bytes but one follows
    IOException e = assertThrows(IOException.class, () -> SentencePieceModel.parse(new byte[] {0x0A, 0x7F, 0x01}, "x/spiece.model"));
    assertTrue(e.getMessage().startsWith("x/spiece.model: "), e.getMessage());
    assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    // a length varint of 2^63: must not wrap to a negative length
    byte[] huge = {0x0A, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    assertThrows(IOException.class, () -> SentencePieceModel.parse(huge, "x/spiece.model"));
    assertThrows(IOException.class, () -> SentencePieceModel.parse(new byte[0], "x/spiece.model"));
  }

  @Test
  void randomAndMutatedBytesGiveIOExceptionsOnly() {
    Random random = new Random(20240611);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[1 + random.nextInt(2000)];
      random.nextBytes(junk);
      IOException e = assertThrows(IOException.class, () -> AlbertTokenizer.read(Map.of("spiece.model", junk), "junk"), "sample " + i);
      assertTrue(e.getMessage().contains("junk/spiece.model"), e.getMessage());
    }
    byte[] model = files.get("spiece.model");
    for (int i = 0; i < 40; i++) {
      byte[] mutated = model.clone();
      for (int k = 0; k < 8; k++) mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      try {
        AlbertTokenizer t = AlbertTokenizer.read(Map.of("spiece.model", mutated), "mutated");
        t.encode("Mutated models still encode 1,000 things, ½ of them ☃.", 64); // a change that parses must still work
      } catch (IOException expected) {
        assertTrue(expected.getMessage().contains("mutated/spiece.model"), expected.getMessage());
      }
    }
  }

  @Test
  void missingSpecialTokenIsNamedWithItsFile() {
    Map<String, byte[]> bad = new HashMap<>(files);
    bad.put("special_tokens_map.json", "{\"cls_token\": \"[NOPE]\"}".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(IOException.class, () -> AlbertTokenizer.read(bad, FOLDER));
    assertTrue(e.getMessage().contains("[NOPE]"), e.getMessage());
    assertTrue(e.getMessage().contains("cls_token"), e.getMessage());
    assertTrue(e.getMessage().contains("special_tokens_map.json"), e.getMessage());
    assertTrue(e.getMessage().contains("albert-tiny/spiece.model"), e.getMessage());

    Map<String, byte[]> broken = new HashMap<>(files);
    broken.put("tokenizer_config.json", "{not json".getBytes(StandardCharsets.UTF_8));
    IOException j = assertThrows(IOException.class, () -> AlbertTokenizer.read(broken, FOLDER));
    assertTrue(j.getMessage().contains("albert-tiny/tokenizer_config.json"), j.getMessage());
  }

  // ---------------------------------------------------------------- synthetic models

  /** Protobuf bytes written by hand: a piece message, a trainer spec, a normalizer spec. */
  private static final class Proto {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      tag(field, 0);
      raw(value);
      return this;
    }

    Proto bytes(int field, byte[] value) {
      tag(field, 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto value) {
      return bytes(field, value.out.toByteArray());
    }

    Proto floatField(int field, float value) {
      tag(field, 5);
      int bits = Float.floatToIntBits(value);
      for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
      return this;
    }

    private void tag(int field, int wire) {
      raw((long) field << 3 | wire);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  private static Proto piece(String text, float score, int type) {
    return new Proto().string(1, text).floatField(2, score).varint(3, type);
  }

  /** A unigram model without a charsmap: <unk>, [CLS], [SEP], <pad>, a user-defined "-", and some pieces. */
  private static Proto syntheticModel(int modelType) {
    Proto m = new Proto()
        .message(1, piece("<pad>", 0, 3)).message(1, piece("<unk>", 0, 2)).message(1, piece("[CLS]", 0, 3))
        .message(1, piece("[SEP]", 0, 3)).message(1, piece("-", 0, 4)).message(1, piece("\u2581", -2, 1))
        .message(1, piece("\u2581ab", -3, 1)).message(1, piece("a", -2, 1)).message(1, piece("b", -2, 1))
        .message(1, piece("ab", -3.5f, 1)).message(1, piece("c", -4, 5));
    m.message(2, new Proto().varint(3, modelType).varint(40, 1).varint(99, 7)); // field 99: unknown, skipped
    m.message(3, new Proto().string(1, "identity"));
    return m;
  }

  @Test
  void nonUnigramModelIsRefused() {
    IOException e = assertThrows(IOException.class, () -> SentencePieceModel.parse(syntheticModel(2).toBytes(), "bpe/spiece.model"));
    assertTrue(e.getMessage().contains("bpe/spiece.model"), e.getMessage());
    assertTrue(e.getMessage().contains("BPE"), e.getMessage());
  }

  @Test
  void syntheticUnigramModelSegmentsAsSentencePiece() throws IOException {
    Map<String, byte[]> f = Map.of("spiece.model", syntheticModel(1).toBytes());
    AlbertTokenizer t = AlbertTokenizer.read(f, "synthetic");
    assertEquals(11, t.vocabSize());
    // "▁ab" (-3) beats "▁" + "ab" (-7) and "▁" "a" "b" (-6); a user-defined "-" always wins (about -0.1);
    // "c" is UNUSED so it is unknown; unknown "c" "x" "y" merge into one piece; no charsmap: "A" stays "A" before lower-casing.
    assertEquals(List.of("\u2581ab", "-", "ab", "cxy", "\u2581", "b"), t.sentencePieces("ab-abcxy b"));
    assertArrayEquals(new int[] {2, 6, 4, 9, 1, 5, 8, 3, 0}, t.encode("AB-ABCXY B", 9).ids());
    // The model has no [MASK]: the default mask token is then not used; one that a file names must exist.
    Map<String, byte[]> withMask = Map.of("spiece.model", f.get("spiece.model"), "special_tokens_map.json",
        "{\"mask_token\": {\"content\": \"<mask>\", \"lstrip\": true}}".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(IOException.class, () -> AlbertTokenizer.read(withMask, "synthetic"));
    assertTrue(e.getMessage().contains("synthetic/special_tokens_map.json"), e.getMessage());
    assertTrue(e.getMessage().contains("<mask>"), e.getMessage());
  }
}
