package ai.mesm.ingest;

/**
 * Files saved by Windows tools start with a UTF-8 byte-order mark, which Java decodes as U+FEFF
 * and keeps; left in place it would become part of the first id or column name.
 */
final class Bom {
  private static final char MARK = '\uFEFF';

  private Bom() {}

  static String strip(String s) {
    return !s.isEmpty() && s.charAt(0) == MARK ? s.substring(1) : s;
  }
}
