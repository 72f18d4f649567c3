package ai.mesm.corpus;

import ai.mesm.ingest.MoseiLabelFormat;
import ai.mesm.media.face.OpenCvFaceDetector;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes a synthetic corpus in the real IEMOCAP and CMU-MOSEI release layouts from a seed, plus
 * the ground truth of every utterance under {@code _truth/}. Dialogs and videos are rendered in
 * parallel, each from its own random stream, so the output does not depend on the thread count.
 */
public final class SyntheticCorpusGenerator {
  public static final String TRUTH_DIR = "_truth";
  /** CMU-MOSEI fold files (video ids) in the format SplitJob reads; one video is left out on purpose. */
  public static final String MOSEI_FOLDS_DIR = "mosei_folds";

  private final CorpusSettings settings;

  public SyntheticCorpusGenerator(CorpusSettings settings) {
    this.settings = settings;
  }

  /** Generates into a local folder, replacing any corpus an earlier run left there. */
  public CorpusSummary generate(Path root) throws IOException {
    Files.createDirectories(root);
    for (String dir : List.of(IemocapGenerator.RELEASE, MoseiGenerator.RELEASE, TRUTH_DIR, MOSEI_FOLDS_DIR)) deleteTree(root.resolve(dir));
    FacePainter painter = painter();
    List<CorpusSummary.Layout> layouts = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(settings.effectiveThreads());
    try {
      // Both layouts' media go to the pool before either is awaited: the last files of the first
      // layout render beside the second's instead of leaving a core idle (docs/performance.md).
      boolean withIemocap = settings.layouts().contains("iemocap");
      boolean withMosei = settings.layouts().contains("mosei");
      IemocapGenerator iemocap = new IemocapGenerator(settings, painter);
      List<IemocapGenerator.DialogPlan> dialogs = withIemocap ? iemocap.plan() : List.of();
      List<Future<Double>> dialogsDone = submitAll(pool, dialogs.stream().map(p -> (IoTask) () -> iemocap.render(p, root)).toList());
      MoseiGenerator mosei = new MoseiGenerator(settings, painter);
      List<MoseiGenerator.VideoPlan> videos = withMosei ? mosei.plan() : List.of();
      List<Future<Double>> videosDone = submitAll(pool, videos.stream().map(p -> (IoTask) () -> mosei.render(p, root)).toList());
      if (withIemocap) layouts.add(iemocap(root, dialogs, await(dialogsDone)));
      if (withMosei) layouts.add(mosei(root, videos, await(videosDone)));
    } finally {
      pool.shutdownNow();
    }
    return new CorpusSummary(layouts);
  }

  private CorpusSummary.Layout iemocap(Path root, List<IemocapGenerator.DialogPlan> plans, double seconds) throws IOException {
    List<PlannedUtterance> utterances = new ArrayList<>();
    for (IemocapGenerator.DialogPlan plan : plans) {
      utterances.addAll(plan.utterances());
      for (var extra : plan.extraLines()) {
        utterances.add(new PlannedUtterance(extra.utteranceId(), plan.name(), -1, extra.startS(), extra.endS(),
            List.of(), Affect.NEUTRAL, Affect.NEUTRAL, Affect.NEUTRAL, extra.text(), "no_label"));
      }
    }
    writeTruth(root.resolve(TRUTH_DIR).resolve("iemocap.csv"), utterances);
    Path release = root.resolve(IemocapGenerator.RELEASE);
    return CorpusSummary.layout("iemocap", release.toString(), plans.size(), utterances, IemocapGenerator.CLASSES,
        seconds, sizeOf(release));
  }

  private CorpusSummary.Layout mosei(Path root, List<MoseiGenerator.VideoPlan> plans, double seconds) throws IOException {
    writeLabelBatches(root.resolve(MoseiGenerator.RELEASE).resolve("Labels"), plans);
    writeFolds(root.resolve(MOSEI_FOLDS_DIR), plans);
    List<PlannedUtterance> utterances = plans.stream().flatMap(p -> p.clips().stream()).map(MoseiGenerator.Clip::utterance).toList();
    writeTruth(root.resolve(TRUTH_DIR).resolve("mosei.csv"), utterances);
    Path release = root.resolve(MoseiGenerator.RELEASE);
    return CorpusSummary.layout("mosei", release.toString(), plans.size(), utterances, MoseiGenerator.CLASSES,
        seconds, sizeOf(release));
  }

  /** MTurk delivers results in batches of a few videos, rows in no particular order. */
  private void writeLabelBatches(Path labels, List<MoseiGenerator.VideoPlan> plans) throws IOException {
    Files.createDirectories(labels);
    int perBatch = 8;
    for (int b = 0; b * perBatch < plans.size(); b++) {
      List<MoseiLabelFormat.Row> rows = new ArrayList<>();
      for (MoseiGenerator.VideoPlan plan : plans.subList(b * perBatch, Math.min(plans.size(), (b + 1) * perBatch))) {
        for (MoseiGenerator.Clip clip : plan.clips()) rows.addAll(clip.rows());
      }
      SplittableRandom rng = Seeds.stream(settings.seed(), "mosei-batch-" + b);
      for (int i = rows.size() - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        MoseiLabelFormat.Row t = rows.get(i);
        rows.set(i, rows.get(j));
        rows.set(j, t);
      }
      Files.writeString(labels.resolve(String.format("Batch_%07d_batch_results.csv", 2980374 + b)),
          MoseiLabelFormat.format(rows), StandardCharsets.UTF_8);
    }
  }

  /**
   * 70/10/20 of the videos by a hash of their ids, as the standard folds are video-disjoint. The
   * last normal video is in no fold, like videos the official folds miss, so that SplitJob's
   * report of unassigned clips has something to report.
   */
  private void writeFolds(Path dir, List<MoseiGenerator.VideoPlan> plans) throws IOException {
    Files.createDirectories(dir);
    List<MoseiGenerator.VideoPlan> normal = plans.stream().filter(p -> p.kind() == MoseiGenerator.Kind.NORMAL).toList();
    String leftOut = normal.size() > 3 ? normal.get(normal.size() - 1).videoId() : null;
    List<String> ids = new ArrayList<>(plans.stream().map(MoseiGenerator.VideoPlan::videoId)
        .filter(id -> !id.equals(leftOut)).toList());
    ids.sort(Comparator.comparingLong((String id) -> Seeds.stream(settings.seed(), "fold/" + id).nextLong())
        .thenComparing(Comparator.naturalOrder()));
    int train = (int) Math.round(ids.size() * 0.7);
    int valid = Math.max(ids.size() > 2 ? 1 : 0, (int) Math.round(ids.size() * 0.1));
    Files.write(dir.resolve("train_split.txt"), ids.subList(0, train));
    Files.write(dir.resolve("valid_split.txt"), ids.subList(train, Math.min(ids.size(), train + valid)));
    Files.write(dir.resolve("test_split.txt"), ids.subList(Math.min(ids.size(), train + valid), ids.size()));
  }

  private FacePainter painter() throws IOException {
    if (settings.facePhoto().isBlank()) return new FacePainter(null, null);
    Path photoPath = Path.of(settings.facePhoto());
    BufferedImage photo = ImageIO.read(photoPath.toFile());
    if (photo == null) throw new IOException(photoPath + ": not an image ImageIO can read (mesm.corpus.face-photo)");
    try (OpenCvFaceDetector finder = new OpenCvFaceDetector()) {
      Rectangle face = finder.largestFace(photo, 24).orElseThrow(() -> new IOException(
          photoPath + ": no face found in the photo (mesm.corpus.face-photo); use a frontal portrait"));
      return new FacePainter(photo, face);
    }
  }

  private static void writeTruth(Path file, List<PlannedUtterance> utterances) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder(
        "utterance_id,source,actor,start_s,end_s,labels,text_affect,voice_affect,face_affect,expected,text\n");
    for (PlannedUtterance u : utterances) {
      sb.append(u.id()).append(',').append(u.source()).append(',').append(u.actor()).append(',')
          .append(u.start()).append(',').append(u.end()).append(',').append(String.join(";", u.labels())).append(',')
          .append(u.textAffect()).append(',').append(u.voiceAffect()).append(',').append(u.faceAffect()).append(',')
          .append(u.expected()).append(",\"").append(u.text().replace("\"", "\"\"")).append("\"\n");
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  private interface IoTask {
    double run() throws IOException;
  }

  private static List<Future<Double>> submitAll(ExecutorService pool, List<IoTask> tasks) {
    List<Future<Double>> futures = new ArrayList<>();
    for (IoTask task : tasks) futures.add(pool.submit(task::run));
    return futures;
  }

  /** The summed seconds of the tasks, once all are done; the first failure as thrown. */
  private static double await(List<Future<Double>> futures) throws IOException {
    double total = 0;
    try {
      for (Future<Double> f : futures) total += f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IOException(e.getCause());
    }
    return total;
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
