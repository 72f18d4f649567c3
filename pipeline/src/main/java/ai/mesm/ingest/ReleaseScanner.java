package ai.mesm.ingest;

import ai.mesm.data.DatasetKind;
import ai.mesm.io.TextFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists a raw IEMOCAP or CMU-MOSEI release (docs/computation.md#corpora) on any Hadoop filesystem and groups its files
 * into work units. Only listings and the small MOSEI label batches are read here; media and
 * per-source annotation files are read by the executors.
 */
public final class ReleaseScanner {
  public static final String IEMOCAP_RELEASE = "IEMOCAP_full_release";
  public static final String MOSEI_RELEASE = "CMU_MOSEI";

  private final Configuration conf;
  private final long maxTextFileBytes;

  /** @param maxTextFileBytes label files larger than this are refused unread (mesm.media.max-text-file-size) */
  public ReleaseScanner(Configuration conf, long maxTextFileBytes) {
    this.conf = conf;
    this.maxTextFileBytes = maxTextFileBytes;
  }

  public ReleaseScan scan(DatasetKind dataset, String input) throws IOException {
    Path root = releaseRoot(dataset, new Path(input));
    return dataset == DatasetKind.IEMOCAP ? iemocap(root) : mosei(root);
  }

  /** Accepts the folder that holds the release or the release folder itself. */
  private Path releaseRoot(DatasetKind dataset, Path input) throws IOException {
    FileSystem fs = input.getFileSystem(conf);
    String name = dataset == DatasetKind.IEMOCAP ? IEMOCAP_RELEASE : MOSEI_RELEASE;
    Path nested = new Path(input, name);
    if (fs.exists(nested)) return nested;
    if (fs.exists(input) && input.getName().equals(name)) return input;
    throw new IOException(input + ": no " + name + "/ folder here (mesm.paths.input must point at the folder that "
        + "holds the " + dataset.configName() + " release)");
  }

  private ReleaseScan iemocap(Path root) throws IOException {
    Map<String, String[]> dialogs = new TreeMap<>();
    List<String> files = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    long[] bytes = {0};
    String[][] kinds = {{"avi/DivX", ".avi"}, {"wav", ".wav"}, {"transcriptions", ".txt"}, {"EmoEvaluation", ".txt"}};
    for (int k = 0; k < kinds.length; k++) {
      for (FileStatus f : glob(new Path(root, "Session*/dialog/" + kinds[k][0] + "/*" + kinds[k][1]))) {
        String name = f.getPath().getName();
        if (name.startsWith(".")) continue; // macOS resource forks ship in some copies of the release
        String dialog = name.substring(0, name.length() - kinds[k][1].length());
        String[] paths = dialogs.computeIfAbsent(dialog, d -> new String[4]);
        if (paths[k] != null) {
          // Another session holds a file of the same dialog: only the first (in path order) is read.
          rejects.add(Reject.of(DatasetKind.IEMOCAP.configName(), RejectReason.DUPLICATE_FILE, f.getPath().toString(),
              dialog, 0, "a second " + kinds[k][0] + " file of dialog " + dialog + "; " + paths[k] + " is the one read"));
        } else {
          paths[k] = f.getPath().toString();
        }
        files.add(f.getPath().toString() + "\t" + f.getLen() + "\t" + f.getModificationTime());
        bytes[0] += f.getLen();
      }
    }
    List<WorkUnit> units = new ArrayList<>();
    dialogs.forEach((dialog, p) -> units.add(new WorkUnit(DatasetKind.IEMOCAP, dialog, p[0], p[1], p[2], p[3], List.of())));
    return new ReleaseScan(units, rejects, 0, 0, 0, files, bytes[0], rejects.size());
  }

  private ReleaseScan mosei(Path root) throws IOException {
    Map<String, String[]> videos = new TreeMap<>();
    List<String> files = new ArrayList<>();
    long bytes = 0;
    String[][] kinds = {{"Videos/Full/Combined", ".mp4"}, {"Audio/WAV_16000", ".wav"},
        {"Transcript/Segmented/Combined", ".txt"}};
    for (int k = 0; k < kinds.length; k++) {
      for (FileStatus f : glob(new Path(root, kinds[k][0] + "/*" + kinds[k][1]))) {
        String name = f.getPath().getName();
        if (name.startsWith(".")) continue;
        String id = name.substring(0, name.length() - kinds[k][1].length());
        videos.computeIfAbsent(id, d -> new String[3])[k] = f.getPath().toString();
        files.add(f.getPath().toString() + "\t" + f.getLen() + "\t" + f.getModificationTime());
        bytes += f.getLen();
      }
    }
    String dataset = DatasetKind.MOSEI.configName();
    List<Reject> rejects = new ArrayList<>();
    Map<String, Map<Integer, int[]>> sums = new TreeMap<>();
    Map<String, Map<Integer, String>> firstFile = new TreeMap<>();
    long rows = 0;
    List<FileStatus> labelFiles = glob(new Path(root, "Labels/*.csv"));
    for (FileStatus f : labelFiles) {
      files.add(f.getPath().toString() + "\t" + f.getLen() + "\t" + f.getModificationTime());
      bytes += f.getLen();
      String path = f.getPath().toString();
      Parsed<MoseiAnnotation> parsed;
      try {
        parsed = MoseiLabelFormat.parse(path, new StringReader(TextFiles.utf8(path, conf, maxTextFileBytes)));
      } catch (IllegalArgumentException | TextFiles.TooLarge | CharacterCodingException e) {
        String problem = e instanceof TextFiles.TooLarge t ? path + ": " + t.reason()
            : e instanceof CharacterCodingException ? path + ": not UTF-8 text (" + e + ")" : e.getMessage();
        rejects.add(Reject.of(dataset, RejectReason.UNREADABLE_ANNOTATION, path, f.getPath().getName(), 0, problem));
        continue;
      }
      rows += parsed.lines();
      parsed.skipped().forEach(s -> rejects.add(Reject.ofLine(dataset, s)));
      for (MoseiAnnotation a : parsed.items()) {
        int[] s = sums.computeIfAbsent(a.videoId(), v -> new TreeMap<>()).computeIfAbsent(a.clip(), c -> new int[7]);
        for (int e = 0; e < 6; e++) s[e] += a.intensities().get(e);
        s[6]++;
        firstFile.computeIfAbsent(a.videoId(), v -> new TreeMap<>()).putIfAbsent(a.clip(), path);
      }
    }
    List<WorkUnit> units = new ArrayList<>();
    for (Map.Entry<String, String[]> v : videos.entrySet()) {
      List<WorkUnit.ClipLabels> labels = clipLabels(sums.remove(v.getKey()), firstFile.get(v.getKey()));
      String[] p = v.getValue();
      units.add(new WorkUnit(DatasetKind.MOSEI, v.getKey(), p[0], p[1], p[2], null, labels));
    }
    // Labels of videos with no file at all: each clip is an utterance that cannot be built.
    long orphans = 0;
    for (Map.Entry<String, Map<Integer, int[]>> v : sums.entrySet()) {
      for (Map.Entry<Integer, int[]> c : v.getValue().entrySet()) {
        orphans++;
        rejects.add(Reject.of(dataset, RejectReason.NO_TRANSCRIPT_LINE, firstFile.get(v.getKey()).get(c.getKey()),
            v.getKey() + "_" + c.getKey(), 0, c.getValue()[6] + " label rows for a video with no video, audio or "
                + "transcript file"));
      }
    }
    return new ReleaseScan(units, rejects, labelFiles.size(), rows, orphans, files, bytes);
  }

  private static List<WorkUnit.ClipLabels> clipLabels(Map<Integer, int[]> sums, Map<Integer, String> first) {
    if (sums == null) return List.of();
    List<WorkUnit.ClipLabels> out = new ArrayList<>();
    sums.forEach((clip, s) -> out.add(new WorkUnit.ClipLabels(clip,
        Arrays.stream(s, 0, 6).boxed().toList(), s[6], first.get(clip))));
    return out;
  }

  private List<FileStatus> glob(Path pattern) throws IOException {
    FileStatus[] found = pattern.getFileSystem(conf).globStatus(pattern);
    if (found == null) return List.of();
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus f : found) if (f.isFile()) files.add(f);
    files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
    return files;
  }
}
