package ai.mesm.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a generation run wrote, per layout: files, media time, and per class how many utterances
 * carry the label and how many show that class's cue in each modality (noise moves some cues).
 */
public record CorpusSummary(List<Layout> layouts) {

  /** Counts for one class: utterances labelled with it, and the labelled ones whose modality shows it. */
  public record ClassCount(int labelled, int text, int audio, int visual) {}

  public record Layout(String name, String root, int sources, int utterances, int accepted,
                       Map<String, Integer> rejectedByReason, Map<String, ClassCount> perClass, double mediaSeconds,
                       long bytes) {}

  static Layout layout(String name, String root, int sources, List<PlannedUtterance> utterances,
                       List<String> classes, double mediaSeconds, long bytes) {
    Map<String, Integer> rejected = new LinkedHashMap<>();
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (String c : classes) counts.put(c, new int[4]);
    int accepted = 0;
    for (PlannedUtterance u : utterances) {
      if (!u.accepted()) {
        rejected.merge(u.expected(), 1, Integer::sum);
        continue;
      }
      accepted++;
      for (String label : u.labels()) {
        int[] c = counts.get(label);
        Affect cue = Affect.forLabel(label);
        c[0]++;
        if (u.textAffect() == cue) c[1]++;
        if (u.voiceAffect() == cue) c[2]++;
        if (u.faceAffect() == cue) c[3]++;
      }
    }
    Map<String, ClassCount> perClass = new LinkedHashMap<>();
    counts.forEach((k, c) -> perClass.put(k, new ClassCount(c[0], c[1], c[2], c[3])));
    return new Layout(name, root, sources, utterances.size(), accepted, rejected, perClass, mediaSeconds, bytes);
  }

  /** A plain-text report for the job's console output. */
  public String render() {
    List<String> lines = new ArrayList<>();
    for (Layout l : layouts) {
      lines.add(String.format("%s: %d %s, %d utterances (%d usable, rejects by design: %s), %.1f min of media, %.1f MiB",
          l.name(), l.sources(), l.name().equals("iemocap") ? "dialogs" : "videos", l.utterances(), l.accepted(),
          l.rejectedByReason().isEmpty() ? "none" : l.rejectedByReason(), l.mediaSeconds() / 60, l.bytes() / 1048576.0));
      lines.add("  root: " + l.root());
      lines.add(String.format("  %-9s %9s %14s %14s %14s", "class", "utterances", "text shows it", "audio shows it",
          "face shows it"));
      l.perClass().forEach((k, c) -> lines.add(String.format("  %-9s %9d %14d %14d %14d", k, c.labelled(), c.text(),
          c.audio(), c.visual())));
    }
    return String.join("\n", lines);
  }
}
