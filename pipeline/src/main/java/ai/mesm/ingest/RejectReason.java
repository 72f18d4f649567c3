package ai.mesm.ingest;

import java.util.Locale;

/**
 * Why an input item did not become an output row. The codes are stable: they are stored in the
 * rejects dataset and documented in docs/data-format.md, so never rename one.
 */
public enum RejectReason {
  // sources (dialogs, videos)
  MISSING_VIDEO(Stage.SOURCE),
  MISSING_AUDIO(Stage.SOURCE),
  MISSING_TRANSCRIPT(Stage.SOURCE),
  MISSING_EVALUATION(Stage.SOURCE),
  UNDECODABLE_MEDIA(Stage.SOURCE),
  UNREADABLE_ANNOTATION(Stage.SOURCE),
  DUPLICATE_FILE(Stage.SOURCE),
  PROCESSING_FAILED(Stage.SOURCE),
  // annotation lines
  NOT_AN_UTTERANCE_LINE(Stage.LINE),
  BAD_TIMES(Stage.LINE),
  MALFORMED_EVALUATION_LINE(Stage.LINE),
  UNEXPECTED_LINE(Stage.LINE),
  MALFORMED_SEGMENT_LINE(Stage.LINE),
  MALFORMED_LABEL_ROW(Stage.LINE),
  DUPLICATE_LINE(Stage.LINE),
  // utterances
  OUT_OF_CLASS(Stage.UTTERANCE),
  NO_LABEL(Stage.UTTERANCE),
  NO_LABEL_ROWS(Stage.UTTERANCE),
  NO_TRANSCRIPT_LINE(Stage.UTTERANCE),
  END_NOT_AFTER_START(Stage.UTTERANCE),
  OUTSIDE_MEDIA(Stage.UTTERANCE),
  EMPTY_TEXT(Stage.UTTERANCE),
  NO_AUDIO_IN_WINDOW(Stage.UTTERANCE),
  SOURCE_REJECTED(Stage.UTTERANCE),
  VIDEO_ENDED_EARLY(Stage.UTTERANCE),
  DUPLICATE_UTTERANCE_ID(Stage.UTTERANCE),
  // split (SplitJob)
  NOT_LISTED(Stage.SPLIT),
  VIDEO_IN_NO_FOLD(Stage.SPLIT),
  LISTED_NOT_FOUND(Stage.SPLIT),
  LISTED_TWICE(Stage.SPLIT);

  /** The accounting stage an item belongs to (docs/computation.md#accounting: input = accepted + rejected per stage). */
  public enum Stage {
    SOURCE, LINE, UTTERANCE, SPLIT;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Stage stage;

  RejectReason(Stage stage) {
    this.stage = stage;
  }

  public Stage stage() {
    return stage;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason for a format reader's skip code (the readers' codes are these enum codes). */
  public static RejectReason ofCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
