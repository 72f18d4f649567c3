package ai.mesm.model.text;

/** UTF-8 helpers with exactly sentencepiece's rules (util.h / util.cc), which differ from Java's decoder at the edges. */
final class Utf8 {
  private Utf8() {}

  /**
   * string_util::OneCharLen: the character length the lead byte announces (1 for ASCII and for a
   * stray continuation byte, 4 for any byte from 0xF0), without looking at the following bytes.
   */
  static int oneCharLen(byte lead) {
    int hi = (lead & 0xFF) >>> 4;
    return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
  }

  /**
   * string_util::DecodeUTF8 as IsValidDecodeUTF8 uses it: the byte length of the well-formed
   * character at {@code pos}, or 0 if it is malformed (overlong, surrogate, beyond U+10FFFF,
   * truncated).
   */
  static int validCharLength(byte[] s, int pos, int end) {
    int len = end - pos;
    int b0 = s[pos] & 0xFF;
    if (b0 < 0x80) return 1;
    if (len >= 2 && (b0 & 0xE0) == 0xC0) {
      int cp = (b0 & 0x1F) << 6 | (s[pos + 1] & 0x3F);
      if (trail(s[pos + 1]) && cp >= 0x80 && validCodepoint(cp)) return 2;
    } else if (len >= 3 && (b0 & 0xF0) == 0xE0) {
      int cp = (b0 & 0x0F) << 12 | (s[pos + 1] & 0x3F) << 6 | (s[pos + 2] & 0x3F);
      if (trail(s[pos + 1]) && trail(s[pos + 2]) && cp >= 0x800 && validCodepoint(cp)) return 3;
    } else if (len >= 4 && (b0 & 0xF8) == 0xF0) {
      int cp = (b0 & 0x07) << 18 | (s[pos + 1] & 0x3F) << 12 | (s[pos + 2] & 0x3F) << 6 | (s[pos + 3] & 0x3F);
      if (trail(s[pos + 1]) && trail(s[pos + 2]) && trail(s[pos + 3]) && cp >= 0x10000 && validCodepoint(cp)) return 4;
    }
    return 0;
  }

  private static boolean trail(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static boolean validCodepoint(int cp) {
    return cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
  }
}
