package ai.mesm.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How much of each MESM sparse block's grid stayed active (paper Tables 3–4 discuss it beside
 * GFLOPs): per modality and block, the sites its nucleus mask kept over all sites of the block's
 * grid (frames × height × width at the block's resolution). Counts add up over batches, so the
 * average is over sites, not over batches of different sizes. Empty for FE2E.
 */
public final class SiteActivity {
  private final Map<Modality, long[][]> counts = new EnumMap<>(Modality.class); // [block] = {kept, grid}

  public static SiteActivity none() {
    return new SiteActivity();
  }

  /** Counts that give these fractions (to 1e-9): an activity read back from a report, which keeps fractions only. */
  public static SiteActivity ofFractions(Map<Modality, double[]> fractions) {
    SiteActivity a = new SiteActivity();
    fractions.forEach((m, f) -> {
      for (int b = 0; b < f.length; b++) a.add(m, b, Math.round(f[b] * FRACTION_GRID), FRACTION_GRID);
    });
    return a;
  }

  private static final long FRACTION_GRID = 1_000_000_000L;

  public SiteActivity add(Modality modality, int block, long kept, long grid) {
    long[][] c = counts.get(modality);
    if (c == null || c.length <= block) {
      long[][] grown = new long[block + 1][2];
      if (c != null) for (int b = 0; b < c.length; b++) grown[b] = c[b];
      for (int b = c == null ? 0 : c.length; b <= block; b++) grown[b] = new long[2];
      counts.put(modality, c = grown);
    }
    c[block][0] += kept;
    c[block][1] += grid;
    return this;
  }

  public SiteActivity addAll(SiteActivity other) {
    other.counts.forEach((m, c) -> {
      for (int b = 0; b < c.length; b++) add(m, b, c[b][0], c[b][1]);
    });
    return this;
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** Active fraction per block, per modality in input order (audio before visual). */
  public Map<Modality, double[]> fractions() {
    Map<Modality, double[]> out = new EnumMap<>(Modality.class);
    counts.forEach((m, c) -> {
      double[] f = new double[c.length];
      for (int b = 0; b < c.length; b++) f[b] = c[b][1] == 0 ? Double.NaN : c[b][0] / (double) c[b][1];
      out.put(m, f);
    });
    return Collections.unmodifiableMap(out);
  }

  /** E.g. "A 64/41/30 % · V 58/37/22 %"; "–" when empty. */
  public String summary() {
    if (isEmpty()) return "–";
    StringJoiner all = new StringJoiner(" · ");
    fractions().forEach((m, f) -> {
      StringJoiner blocks = new StringJoiner("/");
      for (double v : f) blocks.add(String.format(Locale.ROOT, "%.0f", 100 * v));
      all.add(m.code().toUpperCase(Locale.ROOT) + " " + blocks + " %");
    });
    return all.toString();
  }

  /** "0.64;0.41;0.30" for one modality, "" when it has no sparse blocks. */
  public String fractionsCsv(Modality m) {
    double[] f = fractions().get(m);
    if (f == null) return "";
    StringJoiner j = new StringJoiner(";");
    for (double v : f) j.add(String.format(Locale.ROOT, "%.4f", v));
    return j.toString();
  }
}
