package ai.mesm.corpus;

import ai.mesm.ingest.MoseiSegment;
import ai.mesm.ingest.MoseiTranscriptFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A small archive of videos to score, made from a generated CMU-MOSEI corpus: the videos with
 * their transcripts turned into subtitles, alternately SubRip and WebVTT, one video left without
 * any (fixed windows), and one corrupt file (the head of a video), as archives come in practice.
 */
public final class DemoArchive {
  private DemoArchive() {}

  /** What was written: videos per kind. */
  public record Summary(int srt, int vtt, int withoutSubtitles, int corrupt) {
    public String render() {
      return String.format(Locale.ROOT, "archive: %d videos with SubRip subtitles, %d with WebVTT, %d without, "
          + "%d corrupt", srt, vtt, withoutSubtitles, corrupt);
    }
  }

  public static Summary build(Path corpus, Path archive) throws IOException {
    Path videos = corpus.resolve("CMU_MOSEI/Videos/Full/Combined");
    Path transcripts = corpus.resolve("CMU_MOSEI/Transcript/Segmented/Combined");
    if (!Files.isDirectory(videos)) throw new IOException(videos + ": no CMU-MOSEI videos (generate the mosei layout)");
    Files.createDirectories(archive);
    List<Path> mp4s;
    try (Stream<Path> s = Files.list(videos)) {
      // Largest first: the corpus's deliberately truncated video is the smallest.
      mp4s = s.filter(p -> p.toString().endsWith(".mp4")).sorted((a, b) -> Long.compare(size(b), size(a))).toList();
    }
    int srt = 0;
    int vtt = 0;
    int without = 0;
    List<Path> used = new ArrayList<>();
    for (Path mp4 : mp4s) {
      String id = mp4.getFileName().toString().replace(".mp4", "");
      Path transcript = transcripts.resolve(id + ".txt");
      if (!Files.exists(transcript)) continue;
      List<MoseiSegment> segments = new ArrayList<>(MoseiTranscriptFormat.parse(transcript.toString(),
          Files.readAllLines(transcript, StandardCharsets.UTF_8)).items());
      segments.removeIf(s -> s.endS() <= s.startS() || s.text().isBlank());
      if (segments.isEmpty()) continue;
      segments.sort((a, b) -> Double.compare(a.startS(), b.startS()));
      Files.copy(mp4, archive.resolve(mp4.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      used.add(mp4);
      if (used.size() == 1) {
        without++;
      } else if (used.size() % 2 == 0) {
        Files.writeString(archive.resolve(id + ".srt"), subRip(segments));
        srt++;
      } else {
        Files.writeString(archive.resolve(id + ".vtt"), webVtt(segments));
        vtt++;
      }
      if (used.size() == 6) break;
    }
    byte[] head = Arrays.copyOf(Files.readAllBytes(used.get(used.size() - 1)), 4096);
    Files.write(archive.resolve("corrupt_upload.mp4"), head);
    return new Summary(srt, vtt, without, 1);
  }

  /** SubRip subtitles with one cue per segment, in the given order. */
  public static String subRip(List<MoseiSegment> segments) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      MoseiSegment s = segments.get(i);
      sb.append(i + 1).append('\n').append(time(s.startS(), ',')).append(" --> ").append(time(s.endS(), ','))
          .append('\n').append(s.text()).append("\n\n");
    }
    return sb.toString();
  }

  static String webVtt(List<MoseiSegment> segments) {
    StringBuilder sb = new StringBuilder("WEBVTT\n\n");
    for (MoseiSegment s : segments) {
      sb.append(time(s.startS(), '.')).append(" --> ").append(time(s.endS(), '.')).append('\n').append(s.text())
          .append("\n\n");
    }
    return sb.toString();
  }

  private static String time(double seconds, char separator) {
    long ms = Math.round(seconds * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
        separator, ms % 1000);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
