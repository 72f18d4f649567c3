package ai.mesm.ingest;

/**
 * One row of the rejects dataset: what was dropped (item id, or the line), where it came from,
 * why (a stable {@link RejectReason} code) and a human-readable detail.
 *
 * @param lineNumber 1-based line in {@code sourcePath}, or 0 when the item is not a line
 */
public record Reject(String dataset, String stage, String reason, String sourcePath, String itemId, int lineNumber,
                     String detail) implements SourceItem {

  public static Reject of(String dataset, RejectReason reason, String sourcePath, String itemId, int lineNumber,
                          String detail) {
    return new Reject(dataset, reason.stage().code(), reason.code(), sourcePath, itemId, lineNumber, detail);
  }

  public static Reject ofLine(String dataset, SkippedLine skipped) {
    RejectReason reason = RejectReason.ofCode(skipped.reason());
    return of(dataset, reason, skipped.sourcePath(), "line " + skipped.lineNumber(), skipped.lineNumber(),
        skipped.description());
  }

  /**
   * An unexpected exception as a reject's detail: its type and message, no stack trace (that goes
   * to the log). Used where one input's failure must not stop a job (ingest sources, scored videos).
   */
  public static String describe(Throwable e) {
    return abbreviate(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  /** A detail cut to 300 characters for a reject row. */
  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
