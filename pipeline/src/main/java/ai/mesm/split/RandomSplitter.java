package ai.mesm.split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's random utterance-level split, made reproducible: utterances are ordered by a
 * hash of (seed, id) and cut at round(train·N) and round(valid·N). The result depends only on the
 * seed and the set of ids, never on their order or partitioning, and the proportions are exact
 * to one utterance.
 */
public final class RandomSplitter {
  private RandomSplitter() {}

  public static Map<String, Split> split(Collection<String> ids, long seed, double train, double valid) {
    List<String> order = new ArrayList<>(ids);
    Map<String, Long> keys = new HashMap<>();
    for (String id : order) keys.put(id, key(seed, id));
    order.sort(Comparator.<String>comparingLong(keys::get).thenComparing(Comparator.naturalOrder()));
    int n = order.size();
    int nTrain = (int) Math.round(train * n);
    int nValid = (int) Math.min(n - nTrain, Math.round(valid * n));
    Map<String, Split> out = new HashMap<>();
    for (int i = 0; i < n; i++) out.put(order.get(i), i < nTrain ? Split.TRAIN : i < nTrain + nValid ? Split.VALID : Split.TEST);
    return out;
  }

  /** First 8 bytes of SHA-256("seed:id"): the same on every JVM and platform. */
  static long key(long seed, String id) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((seed + ":" + id).getBytes(StandardCharsets.UTF_8));
      long k = 0;
      for (int i = 0; i < 8; i++) k = (k << 8) | (d[i] & 0xff);
      return k;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
