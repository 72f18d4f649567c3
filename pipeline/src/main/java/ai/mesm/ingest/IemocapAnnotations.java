package ai.mesm.ingest;

import ai.mesm.data.DatasetKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins one dialog's transcription and EmoEvaluation (docs/computation.md#iemocap): text from the transcript, times
 * and the consensus label from the evaluation, speaker side from the ids. Every line and every
 * utterance id ends as an utterance or a reject.
 */
public final class IemocapAnnotations {
  private static final String DATASET = DatasetKind.IEMOCAP.configName();
  private static final List<String> CLASSES = DatasetKind.IEMOCAP.classes();

  private IemocapAnnotations() {}

  public static AnnotatedSource assemble(String transcriptPath, List<String> transcriptLines, String evaluationPath,
                                         List<String> evaluationLines) {
    AnnotatedSource.Builder out = new AnnotatedSource.Builder();
    Parsed<TranscriptLine> transcript = IemocapTranscriptFormat.parse(transcriptPath, transcriptLines);
    Parsed<EmoEvaluation> evaluation = IemocapEvaluationFormat.parse(evaluationPath, evaluationLines);
    out.lines = transcript.items().size() + transcript.skipped().size() + evaluation.items().size()
        + evaluation.skipped().size();
    transcript.skipped().forEach(s -> out.rejects.add(Reject.ofLine(DATASET, s)));
    evaluation.skipped().forEach(s -> out.rejects.add(Reject.ofLine(DATASET, s)));

    Map<String, TranscriptLine> texts = new LinkedHashMap<>();
    for (TranscriptLine line : transcript.items()) {
      if (texts.putIfAbsent(line.utteranceId(), line) != null) {
        out.rejects.add(Reject.of(DATASET, RejectReason.DUPLICATE_LINE, transcriptPath, line.utteranceId(), 0,
            "second transcript line for the same utterance id"));
      }
    }
    Map<String, EmoEvaluation> labels = new LinkedHashMap<>();
    for (EmoEvaluation e : evaluation.items()) {
      if (labels.putIfAbsent(e.utteranceId(), e) != null) {
        out.rejects.add(Reject.of(DATASET, RejectReason.DUPLICATE_LINE, evaluationPath, e.utteranceId(), 0,
            "second evaluation for the same utterance id"));
      }
    }
    Set<String> ids = new LinkedHashSet<>(labels.keySet());
    ids.addAll(texts.keySet());
    out.candidates = ids.size();
    for (String id : ids) {
      EmoEvaluation e = labels.get(id);
      TranscriptLine t = texts.get(id);
      if (e == null) {
        out.rejects.add(Reject.of(DATASET, RejectReason.NO_LABEL, transcriptPath, id, 0,
            "in the transcription but not rated in " + evaluationPath));
      } else if (t == null) {
        out.rejects.add(Reject.of(DATASET, RejectReason.NO_TRANSCRIPT_LINE, evaluationPath, id, 0,
            "rated but missing from " + transcriptPath));
      } else if (!CLASSES.contains(e.label())) {
        out.rejects.add(Reject.of(DATASET, RejectReason.OUT_OF_CLASS, evaluationPath, id, 0,
            "consensus label \"" + e.label() + "\" is not one of " + CLASSES));
      } else if (e.endS() <= e.startS()) {
        out.rejects.add(Reject.of(DATASET, RejectReason.END_NOT_AFTER_START, evaluationPath, id, 0,
            "window [" + e.startS() + ", " + e.endS() + "]"));
      } else {
        List<Integer> multiHot = new ArrayList<>();
        for (String c : CLASSES) multiHot.add(c.equals(e.label()) ? 1 : 0);
        out.utterances.add(new UtteranceAnnotation(id, dialogOf(id), e.startS(), e.endS(), t.text(), multiHot,
            speakerOf(id), sideOf(id), evaluationPath));
      }
    }
    return out.build();
  }

  /** Dialog = the id without its last "_" field (Ses04F_script01_1_F024 → Ses04F_script01_1). */
  public static String dialogOf(String utteranceId) {
    return utteranceId.substring(0, utteranceId.lastIndexOf('_'));
  }

  /** The speaker's letter: first letter of the last field (F000 → F). */
  public static String speakerOf(String utteranceId) {
    return utteranceId.substring(utteranceId.lastIndexOf('_') + 1, utteranceId.lastIndexOf('_') + 2);
  }

  /**
   * 0 (left half, left channel) when the speaker's letter equals the session token's last letter
   * (Ses01F → F is on the left), else 1 (as the reference decides, docs/computation.md#iemocap).
   */
  public static int sideOf(String utteranceId) {
    String session = utteranceId.substring(0, utteranceId.indexOf('_'));
    char left = session.charAt(session.length() - 1);
    return speakerOf(utteranceId).charAt(0) == left ? 0 : 1;
  }
}
