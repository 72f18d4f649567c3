package ai.mesm.model.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Python 3's notion of a few string operations that Hugging Face's tokenizer code relies on and
 * that Java defines differently: whitespace (str.split/strip), digits (str.isdigit), combining
 * characters (unicodedata.combining) and lower-casing (str.lower). Works on code points, as Python
 * strings do. The Unicode data is the JDK's (Unicode 13 for Java 17), so characters assigned in a
 * later Unicode version than the JDK knows may differ from a newer Python.
 */
final class PythonText {
  private PythonText() {}

  /** Py_UNICODE_ISSPACE: bidi classes WS, B, S and category Zs; wider than Character.isWhitespace (it has U+00A0, U+202F…). */
  static boolean isSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }

  /** {@code " ".join(text.split())}: words separated by single spaces, no leading or trailing whitespace. */
  static String joinWords(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isSpace(cp)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) out.append(' ');
        pendingSpace = false;
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** {@code text.rstrip()}. */
  static String stripTrailing(String text) {
    int end = text.length();
    while (end > 0) {
      int cp = text.codePointBefore(end);
      if (!isSpace(cp)) break;
      end -= Character.charCount(cp);
    }
    return text.substring(0, end);
  }

  /** {@code text.lstrip()}. */
  static String stripLeading(String text) {
    int start = 0;
    while (start < text.length()) {
      int cp = text.codePointAt(start);
      if (!isSpace(cp)) break;
      start += Character.charCount(cp);
    }
    return text.substring(start);
  }

  /**
   * str.isdigit: Numeric_Type Decimal (= category Nd, Java's isDigit) or Digit. The Digit-only
   * characters (superscripts, circled digits…) are listed from Unicode's DerivedNumericType.txt;
   * the list has been stable since Unicode 6.
   */
  static boolean isDigit(int cp) {
    if (Character.isDigit(cp)) return true;
    return cp == 0xB2 || cp == 0xB3 || cp == 0xB9 || (cp >= 0x1369 && cp <= 0x1371) || cp == 0x19DA || cp == 0x2070
        || (cp >= 0x2074 && cp <= 0x2079) || (cp >= 0x2080 && cp <= 0x2089) || (cp >= 0x2460 && cp <= 0x2468)
        || (cp >= 0x2474 && cp <= 0x247C) || (cp >= 0x2488 && cp <= 0x2490) || cp == 0x24EA || (cp >= 0x24F5 && cp <= 0x24FD)
        || cp == 0x24FF || (cp >= 0x2776 && cp <= 0x277E) || (cp >= 0x2780 && cp <= 0x2788) || (cp >= 0x278A && cp <= 0x2792)
        || (cp >= 0x10A40 && cp <= 0x10A43) || (cp >= 0x10E60 && cp <= 0x10E68) || (cp >= 0x11052 && cp <= 0x1105A)
        || (cp >= 0x1F100 && cp <= 0x1F10A);
  }

  /** U+0345 has the highest canonical combining class in use (240), U+0334 the lowest non-zero (1). */
  private static final String HIGHEST = "\u0345";
  private static final String LOWEST = "\u0334";

  /**
   * unicodedata.combining(c) != 0, from the JDK alone (which has the classes but does not expose
   * them): canonical ordering moves a mark of class 1..239 in front of U+0345 (class 240), and
   * moves U+0334 (class 1) in front of a mark of class 2..240; a class-0 character blocks both.
   * Only meaningful for a character that NFD leaves unchanged, which holds for NFKD output.
   */
  static boolean isCombining(int cp) {
    if (cp < 0x300) return false; // no character below U+0300 has a non-zero class
    String c = new String(Character.toChars(cp));
    if (Normalizer.normalize("a" + HIGHEST + c, Normalizer.Form.NFD).equals("a" + c + HIGHEST)) return true;
    return Normalizer.normalize("a" + c + LOWEST, Normalizer.Form.NFD).equals("a" + LOWEST + c);
  }

  /** NFKD, then every character with a non-zero canonical combining class dropped (AlbertTokenizer without keep_accents). */
  static String stripAccents(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder out = new StringBuilder(decomposed.length());
    decomposed.codePoints().filter(cp -> !isCombining(cp)).forEach(out::appendCodePoint);
    return out.toString();
  }

  /**
   * str.lower: each code point's full lower-case mapping (İ gives "i̇"), with Σ as final ς when it
   * follows a cased letter and no cased letter follows (case-ignorable characters skipped on both
   * sides), the rule CPython applies; Java's toLowerCase decides final sigma by word boundaries instead.
   */
  static String lower(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (cp == 0x03A3) out.append(finalSigma(text, i) ? '\u03C2' : '\u03C3');
      else lowerOne(cp, out);
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /**
   * One code point's lower case without context, as transformers' tokenize lower-cases the text
   * outside special tokens ({@code re.sub("(.+?)", …lower())} matches one character at a time).
   */
  static void lowerOne(int cp, StringBuilder out) {
    if (cp < 0x80) {
      out.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    } else if (cp == 0x03A3) {
      out.append('\u03C3'); // alone, Σ is never final
    } else {
      // String.toLowerCase for the full mappings (İ → i + U+0307); one code point has no context.
      out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
    }
  }

  private static boolean finalSigma(String text, int at) {
    int j = at;
    int c = -1;
    while (j > 0) {
      c = text.codePointBefore(j);
      j -= Character.charCount(c);
      if (!isCaseIgnorable(c)) break;
      c = -1;
    }
    if (c < 0 || !isCased(c)) return false;
    j = at + 1;
    while (j < text.length()) {
      c = text.codePointAt(j);
      j += Character.charCount(c);
      if (!isCaseIgnorable(c)) return !isCased(c);
    }
    return true;
  }

  private static boolean isCased(int cp) {
    return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
  }

  /** Case_Ignorable: categories Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet, Single_Quote. */
  private static boolean isCaseIgnorable(int cp) {
    switch (Character.getType(cp)) {
      case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
          Character.MODIFIER_SYMBOL -> {
        return true;
      }
      default -> {
        return cp == '\'' || cp == '.' || cp == ':' || cp == 0xB7 || cp == 0x387 || cp == 0x55F || cp == 0x5F4
            || cp == 0x2018 || cp == 0x2019 || cp == 0x2024 || cp == 0x2027 || cp == 0xFE13 || cp == 0xFE52
            || cp == 0xFE55 || cp == 0xFF07 || cp == 0xFF0E || cp == 0xFF1A;
      }
    }
  }
}
