package ai.mesm.ingest;

/**
 * An input line that is not an item, kept with a stable reason code: nothing is lost (docs/computation.md#accounting).
 *
 * @param line    the line as read, for the reader's own checks; never copied into an output
 * @param problem what exactly is wrong, in words that quote nothing of the file; null = the reason says it
 */
public record SkippedLine(String sourcePath, int lineNumber, String line, String reason, String problem) {
  public SkippedLine(String sourcePath, int lineNumber, String line, String reason) {
    this(sourcePath, lineNumber, line, reason, null);
  }

  /**
   * The reject row's detail: the problem and where, never the line's text, so that a file that
   * is not what it claims (say, a symlink to a system file) cannot leak into the outputs.
   */
  public String description() {
    String where = "line " + lineNumber + " of " + sourcePath;
    return (problem != null ? problem : reason.replace('_', ' ')) + " (" + where + ")";
  }
}
