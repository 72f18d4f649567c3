package ai.mesm.score;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.ingest.Parsed;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentFormatsTest {
  @Test
  void subRipCuesWithMarkupMultiLineTextAndBadBlocks() {
    List<String> srt = List.of("\uFEFF1", "00:00:01,000 --> 00:00:02,500", "<i>Hello</i> there,", "{\\an8}friend.", "",
        "2", "00:00:03,000 --> 00:00:02,000", "backwards", "",
        "3", "00:00:04.25 --> 00:00:05,000 X1:10 X2:20", "Tom &amp; Jerry", "",
        "4", "00:00:06,000 -> 00:00:07,000", "no arrow", "",
        "stray text", "",
        "5", "00:00:08,000 --> 00:00:09,000", "  ", "",
        "6", "1:00:00,5 --> 1:00:01,000", "late");
    Parsed<Segment> p = SubtitleFormat.parse("a.srt", srt);
    assertEquals(List.of(new Segment(0, 1.0, 2.5, "Hello there, friend."), new Segment(1, 4.25, 5.0, "Tom & Jerry"),
        new Segment(2, 3600.5, 3601.0, "late")), p.items());
    assertEquals(List.of(SubtitleFormat.END_NOT_AFTER_START, SubtitleFormat.NOT_A_CUE, SubtitleFormat.NOT_A_CUE),
        p.skipped().stream().map(s -> s.reason()).toList().subList(0, 3));
    assertTrue(p.skipped().stream().anyMatch(s -> s.reason().equals(SubtitleFormat.EMPTY_CUE) && s.lineNumber() == 21),
        p.skipped().toString());
    assertEquals(4, p.skipped().size(), p.skipped().toString());
  }

  @Test
  void webVttCuesWithHeaderNotesIdentifiersAndShortTimes() {
    List<String> vtt = List.of("WEBVTT - a title", "", "NOTE a comment", "spanning lines", "", "STYLE", "::cue { }", "",
        "intro", "00:01.000 --> 00:02.000 align:start line:90%", "<v Roger>Hi <b>all</b>", "",
        "00:00:03.500 --> 00:00:04.000", "second");
    Parsed<Segment> p = SubtitleFormat.parse("a.vtt", vtt);
    assertEquals(List.of(new Segment(0, 1.0, 2.0, "Hi all"), new Segment(1, 3.5, 4.0, "second")), p.items());
    assertTrue(p.skipped().isEmpty(), p.skipped().toString());
  }

  @Test
  void anHourTooLargeForAnIntIsAMalformedTimingNotAnException() {
    List<String> srt = List.of("1", "99999999999:00:00,000 --> 99999999999:00:01,000", "far away", "",
        "2", "00:00:01,000 --> 00:00:02,000", "near");
    Parsed<Segment> p = SubtitleFormat.parse("a.srt", srt);
    assertEquals(List.of(new Segment(0, 1.0, 2.0, "near")), p.items());
    assertEquals(1, p.skipped().size());
    assertEquals(SubtitleFormat.MALFORMED_TIMING, p.skipped().get(0).reason());
    assertEquals(2, p.skipped().get(0).lineNumber());
  }

  @Test
  void fixedWindowsCoverTheMediaAndDropAShortTail() {
    assertEquals(List.of(new Segment(0, 0, 5, null), new Segment(1, 5, 10, null), new Segment(2, 10, 12, null)),
        FixedWindows.of(12, 5, 5, 1));
    assertEquals(List.of(new Segment(0, 0, 5, null), new Segment(1, 5, 10, null)), FixedWindows.of(10.5, 5, 5, 1));
    assertEquals(List.of(new Segment(0, 0, 0.4, null)), FixedWindows.of(0.4, 5, 5, 1), "a short clip: one window");
    assertEquals(List.of(new Segment(0, 0, 4, null), new Segment(1, 2, 6, null), new Segment(2, 4, 7, null)),
        FixedWindows.of(7, 4, 2, 1), "overlapping windows, the last one ends at the media's end");
  }
}
