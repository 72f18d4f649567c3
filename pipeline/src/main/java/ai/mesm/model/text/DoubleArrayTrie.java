package ai.mesm.model.text;

import java.io.IOException;

/**
 * Reader of a Darts-clone double-array trie, the structure sentencepiece stores its normalisation
 * rules in. Each unit is a uint32: bits 0–7 the label (bit 31 set on leaf units, so they never
 * match a label), bit 8 "has a leaf child", bit 9 selects an 8-bit shift of the offset in bits
 * 10–31; a leaf unit holds a 31-bit value. Walking byte c from node n goes to
 * {@code n ^ offset(n) ^ c}. Indices come from the file, so each one is bounds-checked, and
 * {@link #checkValues} finds a bad value on loading.
 */
final class DoubleArrayTrie {
  private final int[] units;

  DoubleArrayTrie(int[] units) {
    this.units = units;
  }

  private static boolean hasLeaf(int unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static int value(int unit) {
    return unit & 0x7FFFFFFF;
  }

  private static int label(int unit) {
    return unit & (0x80000000 | 0xFF);
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  /**
   * Darts' commonPrefixSearch over {@code s[from, to)}, keeping, like sentencepiece's
   * Normalizer::NormalizePrefix, the longest of the first {@code maxResults} matches.
   *
   * @return the match's length in bytes (0 if none) in the high 32 bits, its value in the low 32
   */
  long longestPrefix(byte[] s, int from, int to, int maxResults) {
    int results = 0;
    int bestLength = 0;
    int bestValue = 0;
    int node = offset(units[0]);
    for (int i = from; i < to; i++) {
      int c = s[i] & 0xFF;
      node ^= c;
      if (node >= units.length) break;
      int unit = units[node];
      if (label(unit) != c) break;
      node ^= offset(unit);
      if (hasLeaf(unit)) {
        if (node >= units.length) break;
        if (results < maxResults && i + 1 - from > bestLength) {
          bestLength = i + 1 - from;
          bestValue = value(units[node]);
        }
        results++;
      }
    }
    return (long) bestLength << 32 | (bestValue & 0xFFFFFFFFL);
  }

  /**
   * Checks that every rule's value lies below {@code limit} (a replacement string's start), so that
   * a lookup never reads outside the strings. Looks at every non-leaf unit that says it has a leaf
   * (a superset of the reachable ones: Darts-clone leaves unused units without that flag), which
   * is one linear pass rather than a walk of the trie.
   */
  void checkValues(int limit, String source) throws IOException {
    if (units.length == 0) throw new IOException(source + ": the normalization trie is empty");
    for (int i = 0; i < units.length; i++) {
      int unit = units[i];
      if (unit < 0 || !hasLeaf(unit)) continue; // a leaf unit (bit 31) holds a value, its bit 8 means nothing
      int leaf = i ^ offset(unit);
      if (leaf >= units.length) throw new IOException(source + ": normalization trie unit " + i + " points outside the trie");
      int v = value(units[leaf]);
      if (v >= limit) throw new IOException(source + ": normalization rule points at byte " + v + ", outside its strings");
    }
  }
}
