package ai.mesm.model.text;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A read-only trie over byte strings, each key with an int value. Walking it one byte at a time
 * gives every key that is a prefix of the input at one position, which is what both the Viterbi
 * lattice and the user-defined-symbol matcher need. Flattened into arrays after building: the
 * children of a node are a sorted slice of {@code labels}/{@code targets}.
 */
final class ByteTrie {
  static final int NONE = -1;

  private final int[] firstEdge; // per node, index of its first edge; node n's edges end at firstEdge[n + 1]
  private final byte[] labels;
  private final int[] targets;
  private final int[] values; // per node, the value of the key ending there, or NONE

  /** @param keys distinct, non-empty keys; {@code values[i]} belongs to {@code keys.get(i)} */
  ByteTrie(List<byte[]> keys, int[] keyValues) {
    List<TreeMap<Integer, Integer>> children = new ArrayList<>();
    List<Integer> vals = new ArrayList<>();
    children.add(new TreeMap<>());
    vals.add(NONE);
    for (int k = 0; k < keys.size(); k++) {
      int node = 0;
      for (byte b : keys.get(k)) {
        Integer next = children.get(node).get(b & 0xFF);
        if (next == null) {
          next = children.size();
          children.add(new TreeMap<>());
          vals.add(NONE);
          children.get(node).put(b & 0xFF, next);
        }
        node = next;
      }
      vals.set(node, keyValues[k]);
    }
    int nodes = children.size();
    firstEdge = new int[nodes + 1];
    values = new int[nodes];
    int edges = 0;
    for (TreeMap<Integer, Integer> c : children) edges += c.size();
    labels = new byte[edges];
    targets = new int[edges];
    int e = 0;
    for (int n = 0; n < nodes; n++) {
      firstEdge[n] = e;
      values[n] = vals.get(n);
      for (var entry : children.get(n).entrySet()) {
        labels[e] = (byte) (int) entry.getKey();
        targets[e] = entry.getValue();
        e++;
      }
    }
    firstEdge[nodes] = e;
  }

  static int root() {
    return 0;
  }

  /** The node reached from {@code node} by byte {@code b}, or NONE. */
  int child(int node, byte b) {
    int lo = firstEdge[node];
    int hi = firstEdge[node + 1] - 1;
    int key = b & 0xFF;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int label = labels[mid] & 0xFF;
      if (label < key) lo = mid + 1;
      else if (label > key) hi = mid - 1;
      else return targets[mid];
    }
    return NONE;
  }

  /** The value of the key that ends at this node, or NONE. */
  int value(int node) {
    return values[node];
  }

  /** Length of the longest key that is a prefix of {@code s[from, to)}, 0 if none. */
  int longestPrefix(byte[] s, int from, int to) {
    int node = 0;
    int best = 0;
    for (int i = from; i < to; i++) {
      node = child(node, s[i]);
      if (node == NONE) break;
      if (values[node] != NONE) best = i + 1 - from;
    }
    return best;
  }
}
