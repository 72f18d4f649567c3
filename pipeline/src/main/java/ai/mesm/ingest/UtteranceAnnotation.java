package ai.mesm.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * An utterance as the annotation files define it, before any media is touched.
 *
 * @param side     IEMOCAP: 0 = left half / left channel, 1 = right; -1 for MOSEI (one speaker)
 * @param labels   multi-hot over the dataset's classes, in {@link ai.mesm.data.DatasetKind} order
 * @param annotationPath the file whose line defined the utterance (for rejects)
 */
public record UtteranceAnnotation(String utteranceId, String sourceId, double startS, double endS, String text,
                                  List<Integer> labels, String speaker, int side, String annotationPath)
    implements Serializable {
  public UtteranceAnnotation {
    labels = List.copyOf(labels);
  }
}
