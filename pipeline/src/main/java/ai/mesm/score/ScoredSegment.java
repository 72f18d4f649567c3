package ai.mesm.score;

import java.io.Serializable;
import java.util.List;

/**
 * One output row: a segment of a video, its per-class probabilities (the model's class order)
 * and the labels predicted with the model's validation thresholds (p &gt; t).
 *
 * @param text   null for fixed windows
 * @param source where the segment came from: srt, vtt, mosei or windows
 */
public record ScoredSegment(String video, int segmentIndex, double startS, double endS, String text, String source,
                            int nFrames, int nChunks, double[] probabilities, List<String> labels)
    implements Serializable {}
