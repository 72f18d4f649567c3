package ai.mesm.ingest;

import java.util.List;

/**
 * One aligned utterance, as stored in the utterances dataset (columns in docs/data-format.md).
 *
 * @param frames     nFrames face crops, each size×size×3 bytes RGB (HWC), concatenated
 * @param faceBoxes  per frame x1, y1, x2, y2 of the detected face in source pixels (NaN when none)
 * @param mel        nChunks chunks of nMels×chunkFrames float32, chunk-major then mel-major
 */
public record UtteranceRecord(String dataset, String utteranceId, String sourceId, String videoPath,
                              String audioPath, String speaker, String side, double startS, double endS,
                              String text, List<Integer> labels, List<String> labelNames, int nFrames,
                              double[] frameTimes, boolean[] faceFound, float[] faceBoxes, byte[] frames,
                              int nChunks, int melFrames, float[] mel, String faceDetector) implements SourceItem {

  public boolean hasVisual() {
    return nFrames > 0;
  }
}
