package ai.mesm.corpus;

import java.util.List;

/**
 * One utterance (IEMOCAP) or clip (MOSEI) as the generator planned it: what the annotation files
 * will say and which emotion each modality really shows. Written to _truth/ so that tests of later
 * stages know the ground truth.
 *
 * @param actor    index of the speaking actor (IEMOCAP: 0 = left half/left channel, 1 = right)
 * @param labels   dataset labels (IEMOCAP: the consensus label; MOSEI: emotions with sum > 0)
 * @param expected "accepted", or why a correct ingest must reject it (out_of_class, no_label, ...)
 */
public record PlannedUtterance(String id, String source, int actor, double start, double end, List<String> labels,
                               Affect textAffect, Affect voiceAffect, Affect faceAffect, String text, String expected) {

  static final String ACCEPTED = "accepted";

  /** Times as the annotation files can write them (4 decimals), so that plan, media and files agree. */
  static double fileTime(double seconds) {
    return Math.round(seconds * 10000) / 10000.0;
  }

  boolean accepted() {
    return ACCEPTED.equals(expected);
  }
}
