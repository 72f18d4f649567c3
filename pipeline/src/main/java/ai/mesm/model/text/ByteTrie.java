package ai.mesm.model.text;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only trie over byte strings, each key with an int value. Walking it one byte at a time
 * gives every key that is a prefix of the input at one position, which is what both the Viterbi
 * lattice and the user-defined-symbol matcher need. Plain arrays: the children of a node are a
 * slice of {@code labels}/{@code targets}, sorted by label.
 */
final class ByteTrie {
  static final int NONE = -1;

  private final int[] firstEdge; // per node, index of its first edge; node n's edges end at firstEdge[n + 1]
  private final byte[] labels;
  private final int[] targets;
  private final int[] values; // per node, the value of the key ending there, or NONE

  /**
   * Built in one pass over the keys in sorted order: a node's edges are allocated together when
   * the node is numbered, and the next node is numbered only after that, so they form one slice.
   * Iterative: a key from the file may be long.
   *
   * @param keys distinct, non-empty keys; {@code keyValues[i]} belongs to {@code keys.get(i)}
   */
  ByteTrie(List<byte[]> keys, int[] keyValues) {
    Integer[] order = new Integer[keys.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (x, y) -> Arrays.compareUnsigned(keys.get(x), keys.get(y)));
    byte[][] sorted = new byte[order.length][];
    int[] sortedValues = new int[order.length];
    long totalBytes = 0;
    for (int i = 0; i < order.length; i++) {
      sorted[i] = keys.get(order[i]);
      sortedValues[i] = keyValues[order[i]];
      totalBytes += sorted[i].length;
    }
    int maxNodes = (int) Math.min(Integer.MAX_VALUE - 8, totalBytes + 1);
    int[] first = new int[maxNodes + 1];
    int[] vals = new int[maxNodes];
    byte[] edgeLabels = new byte[maxNodes];
    int[] edgeTargets = new int[maxNodes];
    int nodes = 0;
    int edges = 0;
    // A task is the range of keys [lo, hi) that share their first depth bytes, and the edge that leads to it.
    ArrayDeque<int[]> todo = new ArrayDeque<>();
    todo.push(new int[] {0, sorted.length, 0, -1});
    while (!todo.isEmpty()) {
      int[] task = todo.pop();
      int lo = task[0];
      int hi = task[1];
      int depth = task[2];
      int node = nodes++;
      if (task[3] >= 0) edgeTargets[task[3]] = node;
      first[node] = edges;
      vals[node] = NONE;
      if (lo < hi && sorted[lo].length == depth) vals[node] = sortedValues[lo++]; // sorts first among its extensions
      for (int i = lo; i < hi; ) {
        byte label = sorted[i][depth];
        int j = i + 1;
        while (j < hi && sorted[j][depth] == label) j++;
        edgeLabels[edges] = label;
        todo.push(new int[] {i, j, depth + 1, edges++});
        i = j;
      }
    }
    first[nodes] = edges;
    firstEdge = Arrays.copyOf(first, nodes + 1);
    values = Arrays.copyOf(vals, nodes);
    labels = Arrays.copyOf(edgeLabels, edges);
    targets = Arrays.copyOf(edgeTargets, edges);
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
