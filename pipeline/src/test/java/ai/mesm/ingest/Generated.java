package ai.mesm.ingest;

import java.util.SplittableRandom;

/** Random items for round-trip tests, biased towards the characters each format must escape or anchor on. */
final class Generated {
  private static final String WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String YOUTUBE = WORD + "-_";

  private Generated() {}

  /** "Ses03M_script01_2b_F012"-like: 3 or 4 non-empty '_'-separated fields. */
  static String iemocapId(SplittableRandom rng) {
    StringBuilder id = new StringBuilder("Ses0").append(1 + rng.nextInt(5)).append(rng.nextBoolean() ? 'F' : 'M');
    id.append(rng.nextBoolean() ? "_impro0" + (1 + rng.nextInt(9)) : "_script0" + (1 + rng.nextInt(3)) + "_"
        + (1 + rng.nextInt(3)) + (rng.nextBoolean() ? "b" : ""));
    return id.append('_').append(rng.nextBoolean() ? 'F' : 'M').append(rng.nextInt(10) == 0 ? "XX" : "")
        .append(String.format(java.util.Locale.ROOT, "%03d", rng.nextInt(100))).toString();
  }

  /** 11 YouTube id characters, so '-' and '_' anywhere, ends included; never "___". */
  static String youtubeId(SplittableRandom rng) {
    StringBuilder id = new StringBuilder();
    while (id.length() < 11) {
      char c = YOUTUBE.charAt(rng.nextInt(YOUTUBE.length()));
      if (c == '_' && id.length() >= 2 && id.charAt(id.length() - 1) == '_' && id.charAt(id.length() - 2) == '_') continue;
      id.append(c);
    }
    return id.toString();
  }

  /** 0..40 characters: words, spaces, the given awkward characters and some non-ASCII. */
  static String text(SplittableRandom rng, String awkward) {
    String pool = WORD + "  " + awkward + "éß😀";
    StringBuilder sb = new StringBuilder();
    int n = rng.nextInt(41);
    for (int i = 0; i < n; i++) sb.appendCodePoint(pool.codePointAt(pool.offsetByCodePoints(0,
        rng.nextInt(pool.codePointCount(0, pool.length())))));
    return sb.toString();
  }
}
