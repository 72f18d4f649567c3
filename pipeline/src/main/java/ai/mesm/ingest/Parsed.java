package ai.mesm.ingest;

import java.util.List;

/** What a reader made of a file: the items, and every line it could not use. */
public record Parsed<T>(List<T> items, List<SkippedLine> skipped) {
  public Parsed {
    items = List.copyOf(items);
    skipped = List.copyOf(skipped);
  }
}
