package ai.mesm.ingest;

import java.util.List;

/**
 * One annotator's row of a CMU-MOSEI label batch: intensities (0..3) of anger, disgust, fear,
 * happiness, sadness, surprise, in that order.
 */
public record MoseiAnnotation(String videoId, int clip, String workerId, List<Integer> intensities) {
  public MoseiAnnotation {
    intensities = List.copyOf(intensities);
  }
}
