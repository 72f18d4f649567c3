package ai.mesm.model.sparse;

/**
 * A rulebook's (site, neighbour) pairs grouped by kernel offset, each group in site order:
 * pairs [start[k], start[k + 1]) of offset k have site {@code targets[r]} and its neighbour
 * {@code sources[r]}. The centre offset's group is left empty: every site is its own centre, so
 * callers handle it as one plain product. Built in one pass over the rulebook, because scanning
 * it once per offset (stride 9 through an array of megabytes) cost as much as the adds it fed.
 */
record OffsetPairs(int[] targets, int[] sources, int[] start) {
  static final int CENTRE = SparseSites.KERNEL_OFFSETS / 2;

  /** The pairs of {@code neighbours} ([n·9], −1 where a neighbour is inactive) for its n sites. */
  static OffsetPairs of(int[] neighbours) {
    int offsets = SparseSites.KERNEL_OFFSETS;
    int n = neighbours.length / offsets;
    int[] start = new int[offsets + 1];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < offsets; k++) if (k != CENTRE && neighbours[i * offsets + k] >= 0) start[k + 1]++;
    }
    for (int k = 0; k < offsets; k++) start[k + 1] += start[k];
    int[] next = start.clone();
    int[] targets = new int[start[offsets]];
    int[] sources = new int[start[offsets]];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < offsets; k++) {
        int j = neighbours[i * offsets + k];
        if (k != CENTRE && j >= 0) {
          targets[next[k]] = i;
          sources[next[k]++] = j;
        }
      }
    }
    return new OffsetPairs(targets, sources, start);
  }

  /** The first pair of offset k at or after pair {@code from} whose site is ≥ {@code site}; its group's end if none. */
  int firstAtOrAfter(int k, int from, int site) {
    int r = from;
    while (r < start[k + 1] && targets[r] < site) r++;
    return r;
  }
}
