package ai.mesm.ingest;

import java.util.List;

/**
 * What a reader made of a file: the items, every line it could not use, and how many lines it
 * read (more than items + skipped when an item spans several physical lines, as a quoted CSV field may).
 */
public record Parsed<T>(List<T> items, List<SkippedLine> skipped, long lines) {
  public Parsed {
    items = List.copyOf(items);
    skipped = List.copyOf(skipped);
  }

  /** One line per item or skipped line. */
  public Parsed(List<T> items, List<SkippedLine> skipped) {
    this(items, skipped, (long) items.size() + skipped.size());
  }
}
