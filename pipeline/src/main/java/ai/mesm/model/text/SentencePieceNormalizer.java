package ai.mesm.model.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SentencePiece's normalizer (normalizer.cc), on UTF-8 bytes as the original works. At each
 * position: a user-defined symbol (longest match) is copied as it is; otherwise the longest rule of
 * the precompiled charsmap gives the replacement; otherwise one UTF-8 character is copied (a
 * malformed byte becomes U+FFFD and consumes one byte). Around that: leading whitespace is dropped,
 * runs of spaces collapse, trailing whitespace is dropped (remove_extra_whitespaces), ' ' becomes
 * '▁' (escape_whitespaces) and '▁' is prepended (add_dummy_prefix; appended instead when the
 * trainer treated whitespace as a suffix).
 */
final class SentencePieceNormalizer {
  /** U+2581 LOWER ONE EIGHTH BLOCK in UTF-8, the "▁" that stands for a space. */
  static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};
  private static final byte[] REPLACEMENT_CHAR = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
  private static final byte[] SPACE = {' '};
  /** Normalizer::kMaxTrieResultsSize: only the first this many rule matches are looked at. */
  private static final int MAX_TRIE_RESULTS = 32;

  private final DoubleArrayTrie rules; // null: no charsmap, characters are copied
  private final byte[] replacements; // NUL-terminated strings the rules point into
  private final ByteTrie userDefined; // null: none
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;
  private final boolean treatWhitespaceAsSuffix;

  SentencePieceNormalizer(SentencePieceModel model) throws IOException {
    addDummyPrefix = model.addDummyPrefix();
    removeExtraWhitespaces = model.removeExtraWhitespaces();
    escapeWhitespaces = model.escapeWhitespaces();
    treatWhitespaceAsSuffix = model.treatWhitespaceAsSuffix();

    byte[] blob = model.precompiledCharsmap();
    if (blob.length == 0) {
      rules = null;
      replacements = null;
    } else {
      // <uint32 LE trie size><double array (uint32 LE units)><NUL-terminated replacement strings>
      if (blob.length <= 4) throw new IOException(model.source() + ": precompiled_charsmap is broken (" + blob.length + " bytes)");
      long trieSize = (blob[0] & 0xFFL) | (blob[1] & 0xFFL) << 8 | (blob[2] & 0xFFL) << 16 | (blob[3] & 0xFFL) << 24;
      if (trieSize > blob.length - 4L) {
        throw new IOException(model.source() + ": precompiled_charsmap trie size " + trieSize + " exceeds the blob (" + (blob.length - 4) + " bytes)");
      }
      int[] units = new int[(int) (trieSize / 4)];
      for (int i = 0; i < units.length; i++) {
        int p = 4 + 4 * i;
        units[i] = (blob[p] & 0xFF) | (blob[p + 1] & 0xFF) << 8 | (blob[p + 2] & 0xFF) << 16 | (blob[p + 3] & 0xFF) << 24;
      }
      replacements = Arrays.copyOfRange(blob, 4 + (int) trieSize, blob.length);
      // A replacement is read up to its NUL, so a rule must start at or before the last NUL.
      int lastNul = -1;
      for (int i = replacements.length - 1; i >= 0 && lastNul < 0; i--) if (replacements[i] == 0) lastNul = i;
      rules = new DoubleArrayTrie(units);
      rules.checkValues(lastNul + 1, model.source());
    }

    List<byte[]> symbols = new ArrayList<>();
    for (int id = 0; id < model.size(); id++) {
      if (model.type(id) == SentencePieceModel.USER_DEFINED) symbols.add(model.piece(id).getBytes(StandardCharsets.UTF_8));
    }
    userDefined = symbols.isEmpty() ? null : new ByteTrie(symbols, new int[symbols.size()]);
  }

  /** The normalized text as UTF-8 bytes; empty if the input is empty or only whitespace. */
  byte[] normalize(byte[] input) {
    int pos = 0;
    int end = input.length;
    if (end == 0) return new byte[0];
    Prefix p = new Prefix();

    if (removeExtraWhitespaces) {
      while (pos < end) {
        normalizePrefix(input, pos, end, p);
        if (!(p.length == 1 && p.text[p.start] == ' ')) break;
        pos += p.consumed;
      }
    }
    if (pos == end) return new byte[0];

    ByteArrayOutputStream out = new ByteArrayOutputStream(3 * (end - pos) + 6);
    if (!treatWhitespaceAsSuffix && addDummyPrefix) addSpace(out);

    boolean prevSpace = removeExtraWhitespaces;
    while (pos < end) {
      normalizePrefix(input, pos, end, p);
      int from = p.start;
      int to = p.start + p.length;
      // After a space, further leading spaces of this piece are dropped.
      while (prevSpace && from < to && p.text[from] == ' ') from++;
      if (from < to) {
        for (int i = from; i < to; i++) {
          byte b = p.text[i];
          if (escapeWhitespaces && b == ' ') out.write(SPACE_SYMBOL, 0, SPACE_SYMBOL.length);
          else out.write(b);
        }
        prevSpace = p.text[to - 1] == ' ';
      }
      pos += p.consumed;
      if (!removeExtraWhitespaces) prevSpace = false;
    }

    byte[] normalized = out.toByteArray();
    int length = normalized.length;
    if (removeExtraWhitespaces) {
      byte[] space = escapeWhitespaces ? SPACE_SYMBOL : SPACE;
      while (endsWith(normalized, length, space)) length -= space.length;
    }
    if (treatWhitespaceAsSuffix && addDummyPrefix) {
      ByteArrayOutputStream withSuffix = new ByteArrayOutputStream(length + 3);
      withSuffix.write(normalized, 0, length);
      addSpace(withSuffix);
      return withSuffix.toByteArray();
    }
    return length == normalized.length ? normalized : Arrays.copyOf(normalized, length);
  }

  private void addSpace(ByteArrayOutputStream out) {
    if (escapeWhitespaces) out.write(SPACE_SYMBOL, 0, SPACE_SYMBOL.length);
    else out.write(' ');
  }

  private static boolean endsWith(byte[] s, int length, byte[] suffix) {
    if (length < suffix.length) return false;
    for (int i = 0; i < suffix.length; i++) if (s[length - suffix.length + i] != suffix[i]) return false;
    return true;
  }

  /** What Normalizer::NormalizePrefix returns: the replacement text (a slice) and the bytes consumed. */
  private static final class Prefix {
    byte[] text;
    int start;
    int length;
    int consumed;

    void set(byte[] text, int start, int length, int consumed) {
      this.text = text;
      this.start = start;
      this.length = length;
      this.consumed = consumed;
    }
  }

  private void normalizePrefix(byte[] s, int pos, int end, Prefix out) {
    if (userDefined != null) {
      int n = userDefined.longestPrefix(s, pos, end);
      if (n > 0) {
        out.set(s, pos, n, n);
        return;
      }
    }
    if (rules != null) {
      long match = rules.longestPrefix(s, pos, end, MAX_TRIE_RESULTS);
      int length = (int) (match >>> 32);
      if (length > 0) {
        int value = (int) match;
        int stop = value;
        while (stop < replacements.length && replacements[stop] != 0) stop++;
        out.set(replacements, value, stop - value, length);
        return;
      }
    }
    int n = Utf8.validCharLength(s, pos, end);
    if (n == 0) out.set(REPLACEMENT_CHAR, 0, 3, 1);
    else out.set(s, pos, n, n);
  }
}
