package ai.mesm.split;

import ai.mesm.ingest.Reject;
import ai.mesm.ingest.RejectReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits from user-supplied id lists: the reference's published IEMOCAP utterance lists, or the
 * standard CMU-MOSEI folds of video ids. Nothing is dropped silently: a listed id that is not in
 * the data, an item listed twice, and an item in no list all become rejects.
 */
public final class ListSplitter {
  /** One list file: where it came from and its non-blank lines (trimmed). */
  public record IdList(Split split, String path, List<String> ids) {}

  private ListSplitter() {}

  /**
   * @param groupOf maps an utterance id to the key the lists name: itself (IEMOCAP utterance lists)
   *                or its video (MOSEI folds)
   * @param dataPath     where the utterances were read (the source of "not listed" rejects)
   * @param utteranceIds every utterance id in the data
   */
  public static SplitAssignment split(String dataset, String dataPath, List<String> utteranceIds,
                                      Map<String, String> groupOf, List<IdList> lists, boolean byVideo) {
    List<Reject> rejects = new ArrayList<>();
    Map<String, Split> listed = new HashMap<>();
    Map<String, String> listedIn = new HashMap<>();
    Set<String> twice = new HashSet<>();
    for (IdList list : lists) {
      Set<String> seenHere = new HashSet<>();
      for (String id : list.ids()) {
        if (!seenHere.add(id)) continue; // the same id twice in one file is harmless
        Split before = listed.putIfAbsent(id, list.split());
        if (before != null && before != list.split()) {
          twice.add(id);
          rejects.add(Reject.of(dataset, RejectReason.LISTED_TWICE, list.path(), id, 0,
              "also listed in " + listedIn.get(id)));
        }
        listedIn.putIfAbsent(id, list.path());
      }
    }
    Map<String, List<String>> members = new LinkedHashMap<>();
    for (String u : utteranceIds) members.computeIfAbsent(groupOf.get(u), k -> new ArrayList<>()).add(u);
    for (IdList list : lists) {
      for (String id : list.ids()) {
        if (!members.containsKey(id) && listedIn.get(id).equals(list.path()) && seen(id, rejects)) {
          rejects.add(Reject.of(dataset, RejectReason.LISTED_NOT_FOUND, list.path(), id, 0,
              (byVideo ? "video" : "utterance") + " listed in the " + list.split().code() + " list but absent from the data"));
        }
      }
    }
    Map<String, Split> out = new HashMap<>();
    for (Map.Entry<String, List<String>> group : members.entrySet()) {
      Split split = listed.get(group.getKey());
      for (String u : group.getValue()) {
        if (twice.contains(group.getKey())) {
          rejects.add(Reject.of(dataset, RejectReason.LISTED_TWICE, listedIn.get(group.getKey()), u, 0,
              (byVideo ? "its video " + group.getKey() : "it") + " is listed in two different splits"));
        } else if (split == null) {
          rejects.add(Reject.of(dataset, byVideo ? RejectReason.VIDEO_IN_NO_FOLD : RejectReason.NOT_LISTED, dataPath, u, 0,
              byVideo ? "video " + group.getKey() + " is in none of the fold files" : "in none of the split lists"));
        } else {
          out.put(u, split);
        }
      }
    }
    return new SplitAssignment(out, rejects, Map.of());
  }

  private static boolean seen(String id, List<Reject> rejects) {
    return rejects.stream().noneMatch(r -> r.reason().equals(RejectReason.LISTED_NOT_FOUND.code()) && r.itemId().equals(id));
  }
}
