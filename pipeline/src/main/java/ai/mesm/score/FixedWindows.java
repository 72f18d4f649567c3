package ai.mesm.score;

import java.util.ArrayList;
import java.util.List;

/**
 * Segments for a video without a segment file: windows of {@code window} seconds every
 * {@code hop} seconds from 0; the last one ends at the media's end, and is dropped when shorter
 * than {@code minimum} unless it is the only window (a short clip is still scored once).
 */
public final class FixedWindows {
  private FixedWindows() {}

  public static List<Segment> of(double durationS, double window, double hop, double minimum) {
    List<Segment> out = new ArrayList<>();
    for (int k = 0; k * hop < durationS - 1e-9; k++) {
      double start = k * hop;
      double end = Math.min(durationS, start + window);
      if (end - start < minimum && !out.isEmpty()) break;
      out.add(new Segment(out.size(), start, end, null));
      if (end >= durationS) break;
    }
    return out;
  }
}
