package ai.mesm.ingest;

import ai.mesm.data.DatasetKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins one video's segmented transcript with its clips' aggregated annotator rows and applies
 * the annotation-side cleaning rules of docs/computation.md#cmu-mosei (no label rows, no transcript line, end ≤ start,
 * empty text). The media-side rules (outside the media, nothing decodable) come later.
 */
public final class MoseiAnnotations {
  private static final String DATASET = DatasetKind.MOSEI.configName();

  private MoseiAnnotations() {}

  public static AnnotatedSource assemble(String videoId, String transcriptPath, List<String> transcriptLines,
                                         List<WorkUnit.ClipLabels> clipLabels) {
    AnnotatedSource.Builder out = new AnnotatedSource.Builder();
    Parsed<MoseiSegment> parsed = MoseiTranscriptFormat.parse(transcriptPath, transcriptLines);
    out.lines = parsed.items().size() + parsed.skipped().size();
    parsed.skipped().forEach(s -> out.rejects.add(Reject.ofLine(DATASET, s)));
    Map<Integer, MoseiSegment> segments = new LinkedHashMap<>();
    for (MoseiSegment s : parsed.items()) {
      if (!s.videoId().equals(videoId)) {
        out.rejects.add(Reject.of(DATASET, RejectReason.UNEXPECTED_LINE, transcriptPath, s.videoId() + "_" + s.clip(),
            0, "line of video " + s.videoId() + " in the transcript of " + videoId));
      } else if (segments.putIfAbsent(s.clip(), s) != null) {
        out.rejects.add(Reject.of(DATASET, RejectReason.DUPLICATE_LINE, transcriptPath, videoId + "_" + s.clip(), 0,
            "second transcript line for clip " + s.clip()));
      }
    }
    Map<Integer, WorkUnit.ClipLabels> labels = new LinkedHashMap<>();
    for (WorkUnit.ClipLabels c : clipLabels) labels.put(c.clip(), c);
    Set<Integer> clips = new LinkedHashSet<>(segments.keySet());
    clips.addAll(labels.keySet());
    out.candidates = clips.size();
    for (int clip : clips) {
      String id = videoId + "_" + clip;
      MoseiSegment s = segments.get(clip);
      WorkUnit.ClipLabels l = labels.get(clip);
      if (s == null) {
        out.rejects.add(Reject.of(DATASET, RejectReason.NO_TRANSCRIPT_LINE, l.sourcePath(), id, 0,
            l.rows() + " label rows but no line in " + transcriptPath));
      } else if (l == null) {
        out.rejects.add(Reject.of(DATASET, RejectReason.NO_LABEL_ROWS, transcriptPath, id, 0,
            "no annotator row in Labels/*.csv"));
      } else if (s.endS() <= s.startS()) {
        out.rejects.add(Reject.of(DATASET, RejectReason.END_NOT_AFTER_START, transcriptPath, id, 0,
            "window [" + s.startS() + ", " + s.endS() + "]"));
      } else if (s.text().isBlank()) {
        out.rejects.add(Reject.of(DATASET, RejectReason.EMPTY_TEXT, transcriptPath, id, 0, "empty transcript text"));
      } else {
        List<Integer> multiHot = new ArrayList<>();
        for (int sum : l.sums()) multiHot.add(sum > 0 ? 1 : 0);
        out.utterances.add(new UtteranceAnnotation(id, videoId, s.startS(), s.endS(), s.text().strip(), multiHot, null,
            -1, transcriptPath));
      }
    }
    return out.build();
  }
}
