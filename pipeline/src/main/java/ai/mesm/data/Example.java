package ai.mesm.data;

import java.util.List;

/**
 * One utterance as the models consume it, read from the split output: text, face crops (uint8
 * HWC, size×size×3 each), mel chunks (float32, chunk-major [chunk][mel][frame]) and labels.
 */
public record Example(String utteranceId, String text, int nFrames, byte[] frames, int nChunks, float[] mel,
                      List<Integer> labels) {}
