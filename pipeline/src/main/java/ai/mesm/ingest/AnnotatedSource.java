package ai.mesm.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * What the annotation files of one source yield: the utterances to cut from its media, the items
 * already rejected, and how many annotation lines and utterance candidates were seen.
 */
public record AnnotatedSource(List<UtteranceAnnotation> utterances, List<Reject> rejects, long lines,
                              long candidates) {

  static final class Builder {
    final List<UtteranceAnnotation> utterances = new ArrayList<>();
    final List<Reject> rejects = new ArrayList<>();
    long lines;
    long candidates;

    AnnotatedSource build() {
      return new AnnotatedSource(utterances, rejects, lines, candidates);
    }
  }
}
