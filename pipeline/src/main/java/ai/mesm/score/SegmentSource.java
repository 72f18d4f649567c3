package ai.mesm.score;

import ai.mesm.ingest.MoseiSegment;
import ai.mesm.ingest.MoseiTranscriptFormat;
import ai.mesm.ingest.Parsed;
import ai.mesm.ingest.SkippedLine;
import ai.mesm.io.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a video's segments come from: its segment file, found by the video's name without
 * extension in the segments folder (beside the video by default), in the order .srt, .vtt,
 * .txt (CMU-MOSEI segmented transcript, "&lt;id&gt;___&lt;clip&gt;___&lt;start&gt;___&lt;end&gt;___&lt;text&gt;"); or
 * fixed windows when there is none.
 */
public enum SegmentSource {
  SRT("srt"), VTT("vtt"), MOSEI("txt"), WINDOWS(null);

  private final String extension;

  SegmentSource(String extension) {
    this.extension = extension;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A video's segment file and its kind. */
  public record Found(SegmentSource source, String path) {}

  /** The segment file of {@code video}, or WINDOWS (path null) when there is none. */
  public static Found find(String video, String segmentsFolder, Configuration conf) throws IOException {
    Path v = new Path(video);
    String name = v.getName();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    Path folder = segmentsFolder == null || segmentsFolder.isBlank() ? v.getParent() : new Path(segmentsFolder);
    FileSystem fs = folder.getFileSystem(conf);
    try {
      for (SegmentSource s : values()) {
        if (s.extension == null) continue;
        Path candidate = new Path(folder, stem + "." + s.extension);
        if (fs.exists(candidate)) return new Found(s, candidate.toString());
      }
    } catch (IOException e) {
      throw ai.mesm.io.StorageFailure.unlessInputProblem(folder.toString(), e);
    }
    return new Found(WINDOWS, null);
  }

  /**
   * The segments of a segment file, in time order and numbered from 0, and the lines it could not
   * use. Files over {@code maxBytes} are refused unread ({@link TextFiles.TooLarge}).
   */
  public static Parsed<Segment> read(Found found, Configuration conf, long maxBytes) throws IOException {
    // Lenient UTF-8: subtitles in other encodings still yield their timings (text may show U+FFFD).
    List<String> lines = new String(TextFiles.read(found.path(), conf, maxBytes), StandardCharsets.UTF_8)
        .replace("\uFEFF", "").lines().toList();
    if (found.source() != MOSEI) return SubtitleFormat.parse(found.path(), lines);
    Parsed<MoseiSegment> parsed = MoseiTranscriptFormat.parse(found.path(), lines);
    List<MoseiSegment> clips = new ArrayList<>(parsed.items());
    clips.sort(Comparator.comparingDouble(MoseiSegment::startS).thenComparingInt(MoseiSegment::clip));
    List<Segment> segments = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>(parsed.skipped());
    for (MoseiSegment c : clips) {
      if (c.endS() <= c.startS()) {
        skipped.add(new SkippedLine(found.path(), 0, c.videoId() + "___" + c.clip(), SubtitleFormat.END_NOT_AFTER_START));
      } else {
        segments.add(new Segment(segments.size(), c.startS(), c.endS(), c.text()));
      }
    }
    return new Parsed<>(segments, skipped);
  }
}
