package ai.mesm.score;

/**
 * A stretch of a video to score: from a segment file (subtitle cue, MOSEI transcript line) with
 * its text, or a fixed window without text.
 *
 * @param index 0-based position in the video's segment list, the segment's key in the output
 * @param text  null for fixed windows (no transcript)
 */
public record Segment(int index, double startS, double endS, String text) {}
