package ai.mesm.model.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SentencePiece encoding with a unigram model: {@link SentencePieceNormalizer}, then the best
 * segmentation of the normalized bytes (unigram_model.cc, Model::EncodeOptimized), then runs of
 * unknown pieces merged into one (SentencePieceProcessor::PopulateSentencePieceText). The result is
 * what Python's {@code sp.encode(text, out_type=str)} returns.
 *
 * <p>Scores follow the C++ arithmetic to the bit: a piece's score is widened to double (the
 * user-defined score {@code length * max_score - 0.1} is a double expression), added to the float
 * path score in double, compared with the stored float in double, and stored back as float; the
 * unknown node's score is all float. A candidate replaces the best path only when strictly
 * greater, so of equal paths the one whose last piece starts earliest (the longest) wins.
 */
final class UnigramEncoder {
  private static final float UNK_PENALTY = 10.0f;

  private final SentencePieceModel model;
  private final SentencePieceNormalizer normalizer;
  private final ByteTrie pieces; // NORMAL, USER_DEFINED and UNUSED pieces, value = id
  private final float minScore;
  private final float maxScore;

  UnigramEncoder(SentencePieceModel model) throws IOException {
    this.model = model;
    this.normalizer = new SentencePieceNormalizer(model);
    List<byte[]> keys = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    // FLT_MAX / FLT_MIN as in Model::Model: with only negative scores max_score stays the tiny
    // positive FLT_MIN, which makes a user-defined piece score about -0.1.
    float min = Float.MAX_VALUE;
    float max = Float.MIN_NORMAL;
    for (int id = 0; id < model.size(); id++) {
      int type = model.type(id);
      if (type == SentencePieceModel.NORMAL) {
        min = Math.min(min, model.score(id));
        max = Math.max(max, model.score(id));
      }
      if (type == SentencePieceModel.NORMAL || type == SentencePieceModel.USER_DEFINED || type == SentencePieceModel.UNUSED) {
        keys.add(model.piece(id).getBytes(StandardCharsets.UTF_8));
        ids.add(id);
      }
    }
    minScore = min;
    maxScore = max;
    pieces = new ByteTrie(keys, ids.stream().mapToInt(Integer::intValue).toArray());
  }

  SentencePieceModel model() {
    return model;
  }

  /** The pieces of a text, unknown characters as their normalized text (runs merged). */
  List<String> encode(String text) {
    return encodeNormalized(normalizer.normalize(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The normalized text, for inspection. */
  String normalize(String text) {
    return new String(normalizer.normalize(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  List<String> encodeNormalized(byte[] s) {
    int size = s.length;
    List<String> out = new ArrayList<>();
    if (size == 0) return out;
    float unkScore = minScore - UNK_PENALTY;
    float[] best = new float[size + 1];
    int[] startsAt = new int[size + 1];
    int[] ids = new int[size + 1];
    Arrays.fill(startsAt, -1);

    for (int start = 0; start < size; ) {
      float tillHere = best[start];
      int mblen = Math.min(Utf8.oneCharLen(s[start]), size - start);
      boolean hasSingleNode = false;
      int node = ByteTrie.root();
      for (int k = start; k < size; k++) {
        node = pieces.child(node, s[k]);
        if (node == ByteTrie.NONE) break;
        int id = pieces.value(node);
        if (id == ByteTrie.NONE) continue;
        int type = model.type(id);
        if (type == SentencePieceModel.UNUSED) continue;
        int end = k + 1;
        int length = end - start;
        double score = type == SentencePieceModel.USER_DEFINED ? (double) ((float) length * maxScore) - 0.1 : model.score(id);
        double candidate = score + tillHere;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = (float) candidate;
          startsAt[end] = start;
          ids[end] = id;
        }
        if (length == mblen) hasSingleNode = true;
      }
      if (!hasSingleNode) {
        int end = start + mblen;
        float candidate = unkScore + tillHere;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          ids[end] = model.unkId();
        }
      }
      start += mblen;
    }

    // Back-trace, then merge consecutive unknown pieces as PopulateSentencePieceText does.
    int count = 0;
    int[] bounds = new int[size + 1];
    for (int end = size; end > 0; end = startsAt[end]) bounds[count++] = end;
    int unk = model.unkId();
    int pieceStart = 0;
    boolean prevUnk = false;
    for (int i = count - 1; i >= 0; i--) {
      int end = bounds[i];
      int begin = i == count - 1 ? 0 : bounds[i + 1];
      boolean isUnk = ids[end] == unk;
      if (isUnk && prevUnk) {
        out.set(out.size() - 1, new String(s, pieceStart, end - pieceStart, StandardCharsets.UTF_8));
      } else {
        pieceStart = begin;
        out.add(new String(s, begin, end - begin, StandardCharsets.UTF_8));
      }
      prevUnk = isUnk;
    }
    return out;
  }
}
