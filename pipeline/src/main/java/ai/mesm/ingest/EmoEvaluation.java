package ai.mesm.ingest;

import java.util.List;

/**
 * One rated utterance of an IEMOCAP EmoEvaluation file: the consensus line and the raw
 * per-annotator lines (C- categorical, A- attribute) of its block.
 */
public record EmoEvaluation(String utteranceId, double startS, double endS, String label,
                            double valence, double activation, double dominance, List<String> annotatorLines) {
  public EmoEvaluation {
    annotatorLines = List.copyOf(annotatorLines);
  }
}
