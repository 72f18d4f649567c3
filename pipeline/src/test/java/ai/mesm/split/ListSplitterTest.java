package ai.mesm.split;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.ingest.Reject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ListSplitterTest {
  private static Map<String, String> identity(List<String> ids) {
    return ids.stream().collect(Collectors.toMap(Function.identity(), Function.identity()));
  }

  private static List<String> keys(List<Reject> rejects) {
    return rejects.stream().map(r -> r.reason() + " " + r.itemId()).sorted().toList();
  }

  @Test
  void utteranceListsReportMissingExtraAndDoubleIds() {
    List<String> data = List.of("u1", "u2", "u3", "u4", "u5");
    List<ListSplitter.IdList> lists = List.of(
        new ListSplitter.IdList(Split.TRAIN, "train_split.txt", List.of("u1", "u2", "ghost")),
        new ListSplitter.IdList(Split.VALID, "valid_split.txt", List.of("u3", "u2")),
        new ListSplitter.IdList(Split.TEST, "test_split.txt", List.of("u4", "u4")));
    SplitAssignment a = ListSplitter.split("iemocap", "data", data, identity(data), lists, false);
    assertEquals(Map.of("u1", Split.TRAIN, "u3", Split.VALID, "u4", Split.TEST), a.splits());
    assertEquals(List.of("listed_not_found ghost", "listed_twice u2", "listed_twice u2", "not_listed u5"),
        keys(a.rejects()));
    Reject ghost = a.rejects().stream().filter(r -> r.itemId().equals("ghost")).findFirst().orElseThrow();
    assertEquals("train_split.txt", ghost.sourcePath());
    assertEquals("split", ghost.stage());
  }

  @Test
  void foldsKeepVideosTogetherAndReportVideosInNoFold() {
    Map<String, String> video = new HashMap<>();
    List<String> data = List.of("-a_b_0", "-a_b_1", "c_0", "c_1", "c_2", "d_0", "e_0");
    for (String u : data) video.put(u, u.substring(0, u.lastIndexOf('_')));
    List<ListSplitter.IdList> folds = List.of(
        new ListSplitter.IdList(Split.TRAIN, "train_split.txt", List.of("-a_b")),
        new ListSplitter.IdList(Split.VALID, "valid_split.txt", List.of("c", "gone")),
        new ListSplitter.IdList(Split.TEST, "test_split.txt", List.of("d")));
    SplitAssignment a = ListSplitter.split("mosei", "data", data, video, folds, true);
    assertEquals(Map.of("-a_b_0", Split.TRAIN, "-a_b_1", Split.TRAIN, "c_0", Split.VALID, "c_1", Split.VALID,
        "c_2", Split.VALID, "d_0", Split.TEST), a.splits());
    assertEquals(List.of("listed_not_found gone", "video_in_no_fold e_0"), keys(a.rejects()));
  }
}
