package ai.mesm.score;

import java.io.Serializable;

/**
 * What scoring could not turn into a row, with a stable reason code (docs/computation.md#accounting): a whole video
 * (segment -1), one of its segments, or a line of its segment file.
 *
 * @param stage      "video", "segment" or "line"
 * @param lineNumber 1-based line of {@code sourcePath} for line rejects, else 0
 */
public record ScoreReject(String video, String stage, String reason, String sourcePath, int segmentIndex,
                          int lineNumber, String detail) implements Serializable {
  public static final String EMPTY_FILE = "empty_file";
  public static final String UNDECODABLE_MEDIA = "undecodable_media";
  public static final String NEEDS_TEXT = "needs_text";
  public static final String NO_VIDEO_STREAM = "no_video_stream";
  public static final String NO_AUDIO = "no_audio";
  public static final String UNREADABLE_SEGMENT_FILE = "unreadable_segment_file";
  public static final String NO_SCORABLE_SEGMENT = "no_scorable_segment";
  public static final String OUTSIDE_MEDIA = "outside_media";
  public static final String NO_AUDIO_IN_WINDOW = "no_audio_in_window";
  /** The video's decodable frames stop more than a frame interval before the segment's last frame time. */
  public static final String VIDEO_ENDED_EARLY = "video_ended_early";
  /** Anything unexpected while scoring one video: it is rejected, the archive goes on. */
  public static final String SCORING_FAILED = "scoring_failed";

  static ScoreReject video(String video, String reason, String path, String detail) {
    return new ScoreReject(video, "video", reason, path, -1, 0, detail);
  }

  static ScoreReject segment(String video, Segment s, String reason, String detail) {
    return new ScoreReject(video, "segment", reason, video, s.index(), 0, detail);
  }
}
