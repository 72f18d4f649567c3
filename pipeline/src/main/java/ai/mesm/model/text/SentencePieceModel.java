package ai.mesm.model.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a SentencePiece {@code ModelProto} (google/sentencepiece, sentencepiece_model.proto)
 * that encoding needs: the pieces with their scores and types, the trainer settings that change
 * encoding, and the normalizer spec. Parsed from the wire format by {@link ProtoReader}; the checks
 * are those sentencepiece makes when it loads a model (ModelInterface::InitializePieces), so a
 * file it would refuse is refused here too, with an IOException naming the file.
 */
public final class SentencePieceModel {
  public static final int NORMAL = 1;
  public static final int UNKNOWN = 2;
  public static final int CONTROL = 3;
  public static final int USER_DEFINED = 4;
  public static final int UNUSED = 5;
  public static final int BYTE = 6;
  private static final int UNIGRAM = 1;
  private static final String[] MODEL_TYPES = {"?", "UNIGRAM", "BPE", "WORD", "CHAR"};

  private final String source;
  private final String[] pieces;
  private final float[] scores;
  private final byte[] types;
  private final int unkId;
  private final boolean treatWhitespaceAsSuffix;
  private final String normalizerName;
  private final byte[] precompiledCharsmap;
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;
  /** Piece to id: control/unknown/byte pieces win over normal ones of the same text, as in PieceToId. */
  private final Map<String, Integer> ids;

  private SentencePieceModel(String source, Parsed p) throws IOException {
    this.source = source;
    int n = p.pieces.size();
    pieces = p.pieces.toArray(new String[0]);
    scores = new float[n];
    types = new byte[n];
    for (int i = 0; i < n; i++) {
      scores[i] = p.scores.get(i);
      types[i] = (byte) (int) p.types.get(i);
    }
    treatWhitespaceAsSuffix = p.treatWhitespaceAsSuffix;
    normalizerName = p.normalizerName;
    precompiledCharsmap = p.precompiledCharsmap;
    addDummyPrefix = p.addDummyPrefix;
    removeExtraWhitespaces = p.removeExtraWhitespaces;
    escapeWhitespaces = p.escapeWhitespaces;

    if (p.modelType != UNIGRAM) {
      String name = p.modelType >= 0 && p.modelType < MODEL_TYPES.length ? MODEL_TYPES[p.modelType] : String.valueOf(p.modelType);
      throw new IOException(source + ": model_type " + name + " is not supported, only UNIGRAM (ALBERT's SentencePiece models are unigram)");
    }
    if (p.byteFallback) throw new IOException(source + ": byte_fallback models are not supported");
    if (n == 0) throw new IOException(source + ": the model has no pieces");

    Map<String, Integer> normal = new HashMap<>();
    Map<String, Integer> reserved = new HashMap<>();
    int unk = -1;
    for (int i = 0; i < n; i++) {
      if (pieces[i].isEmpty()) throw new IOException(source + ": piece " + i + " is empty");
      int type = types[i];
      boolean isNormal = type == NORMAL || type == USER_DEFINED || type == UNUSED;
      if ((isNormal ? normal : reserved).putIfAbsent(pieces[i], i) != null) {
        throw new IOException(source + ": piece " + i + " \"" + pieces[i] + "\" is already defined");
      }
      if (type == UNKNOWN) {
        if (unk >= 0) throw new IOException(source + ": more than one unknown piece (" + unk + " and " + i + ")");
        unk = i;
      }
      if (type == BYTE) throw new IOException(source + ": byte piece " + pieces[i] + " found although byte_fallback is false");
    }
    if (unk < 0) throw new IOException(source + ": the model has no unknown piece");
    if (normal.isEmpty()) throw new IOException(source + ": the model has no normal or user-defined piece");
    unkId = unk;
    ids = new HashMap<>(normal);
    ids.putAll(reserved);
  }

  /** @param source the file's name, for messages */
  public static SentencePieceModel parse(byte[] bytes, String source) throws IOException {
    if (bytes == null || bytes.length == 0) throw new IOException(source + ": empty file");
    Parsed p = new Parsed();
    ProtoReader in = new ProtoReader(bytes, source);
    while (in.hasMore()) {
      switch (in.nextField()) {
        case 1 -> {
          in.expect(ProtoReader.LENGTH_DELIMITED, "ModelProto.pieces");
          readPiece(in.readMessage(), p);
        }
        case 2 -> {
          in.expect(ProtoReader.LENGTH_DELIMITED, "ModelProto.trainer_spec");
          readTrainerSpec(in.readMessage(), p);
        }
        case 3 -> {
          in.expect(ProtoReader.LENGTH_DELIMITED, "ModelProto.normalizer_spec");
          readNormalizerSpec(in.readMessage(), p);
        }
        default -> in.skip();
      }
    }
    return new SentencePieceModel(source, p);
  }

  private static void readPiece(ProtoReader in, Parsed p) throws IOException {
    int index = p.pieces.size();
    String piece = "";
    float score = 0f;
    int type = NORMAL;
    while (in.hasMore()) {
      switch (in.nextField()) {
        case 1 -> {
          in.expect(ProtoReader.LENGTH_DELIMITED, "piece " + index + " text");
          piece = in.readString("piece " + index);
        }
        case 2 -> {
          in.expect(ProtoReader.FIXED32, "piece " + index + " score");
          score = in.readFloat();
        }
        case 3 -> {
          in.expect(ProtoReader.VARINT, "piece " + index + " type");
          long t = in.readVarint();
          if (t < NORMAL || t > BYTE) throw in.error("piece " + index + " has unknown type " + t);
          type = (int) t;
        }
        default -> in.skip();
      }
    }
    p.pieces.add(piece);
    p.scores.add(score);
    p.types.add(type);
  }

  private static void readTrainerSpec(ProtoReader in, Parsed p) throws IOException {
    while (in.hasMore()) {
      switch (in.nextField()) {
        case 3 -> {
          in.expect(ProtoReader.VARINT, "trainer_spec.model_type");
          p.modelType = in.readInt32();
        }
        case 24 -> {
          in.expect(ProtoReader.VARINT, "trainer_spec.treat_whitespace_as_suffix");
          p.treatWhitespaceAsSuffix = in.readBool();
        }
        case 35 -> {
          in.expect(ProtoReader.VARINT, "trainer_spec.byte_fallback");
          p.byteFallback = in.readBool();
        }
        default -> in.skip();
      }
    }
  }

  private static void readNormalizerSpec(ProtoReader in, Parsed p) throws IOException {
    while (in.hasMore()) {
      switch (in.nextField()) {
        case 1 -> {
          in.expect(ProtoReader.LENGTH_DELIMITED, "normalizer_spec.name");
          p.normalizerName = in.readString("normalizer_spec.name");
        }
        case 2 -> {
          in.expect(ProtoReader.LENGTH_DELIMITED, "normalizer_spec.precompiled_charsmap");
          p.precompiledCharsmap = in.readBytes();
        }
        case 3 -> {
          in.expect(ProtoReader.VARINT, "normalizer_spec.add_dummy_prefix");
          p.addDummyPrefix = in.readBool();
        }
        case 4 -> {
          in.expect(ProtoReader.VARINT, "normalizer_spec.remove_extra_whitespaces");
          p.removeExtraWhitespaces = in.readBool();
        }
        case 5 -> {
          in.expect(ProtoReader.VARINT, "normalizer_spec.escape_whitespaces");
          p.escapeWhitespaces = in.readBool();
        }
        default -> in.skip();
      }
    }
  }

  /** Fields as read, with the schema's defaults; a field that occurs twice keeps its last value, as in protobuf. */
  private static final class Parsed {
    final List<String> pieces = new ArrayList<>();
    final List<Float> scores = new ArrayList<>();
    final List<Integer> types = new ArrayList<>();
    int modelType = UNIGRAM;
    boolean treatWhitespaceAsSuffix;
    boolean byteFallback;
    String normalizerName = "";
    byte[] precompiledCharsmap = new byte[0];
    boolean addDummyPrefix = true;
    boolean removeExtraWhitespaces = true;
    boolean escapeWhitespaces = true;
  }

  public String source() {
    return source;
  }

  public int size() {
    return pieces.length;
  }

  public String piece(int id) {
    return pieces[id];
  }

  public float score(int id) {
    return scores[id];
  }

  public int type(int id) {
    return types[id];
  }

  public int unkId() {
    return unkId;
  }

  /** sentencepiece's PieceToId: the piece's id, or the unknown id for a text that is no piece. */
  public int pieceToId(String piece) {
    return ids.getOrDefault(piece, unkId);
  }

  /** Whether the text is a piece of the model (any type). */
  public boolean hasPiece(String piece) {
    return ids.containsKey(piece);
  }

  public boolean treatWhitespaceAsSuffix() {
    return treatWhitespaceAsSuffix;
  }

  public String normalizerName() {
    return normalizerName;
  }

  public byte[] precompiledCharsmap() {
    return precompiledCharsmap.clone();
  }

  public boolean addDummyPrefix() {
    return addDummyPrefix;
  }

  public boolean removeExtraWhitespaces() {
    return removeExtraWhitespaces;
  }

  public boolean escapeWhitespaces() {
    return escapeWhitespaces;
  }

  @Override
  public String toString() {
    return "SentencePieceModel[" + source + ", " + pieces.length + " pieces, normalizer " + normalizerName + "]"
        + Arrays.toString(Arrays.copyOf(pieces, Math.min(8, pieces.length)));
  }
}
