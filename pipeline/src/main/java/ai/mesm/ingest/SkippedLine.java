package ai.mesm.ingest;

/** An input line that is not an item, kept with a stable reason code so that nothing is lost (SPEC §6). */
public record SkippedLine(String sourcePath, int lineNumber, String line, String reason) {}
