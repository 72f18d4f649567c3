package ai.mesm.score;

import ai.mesm.data.Example;
import ai.mesm.ingest.Parsed;
import ai.mesm.ingest.Reject;
import ai.mesm.ingest.SkippedLine;
import ai.mesm.io.StorageFailure;
import ai.mesm.media.AudioReader;
import ai.mesm.media.Coverage;
import ai.mesm.media.CutStream;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.LocalCopy;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.MediaTimes;
import ai.mesm.media.SegmentCutter;
import ai.mesm.model.Batch;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one video, free of Spark (it runs the same in a test and on an executor): its segments
 * from its segment file or fixed windows, the media cut exactly as ingest cuts utterances
 * ({@link SegmentCutter}), the model's probabilities per segment and its labels at the model's
 * validation thresholds. Segments are scored in batches as their cuts arrive, so a video's media
 * is never held whole; only its rows (a few numbers each) are. A broken file or segment ends as a
 * reject with a reason, and anything unexpected as a {@code scoring_failed} reject, never as an
 * exception, so one video cannot stop an archive.
 */
public final class VideoScorer {
  private static final Logger LOG = LoggerFactory.getLogger(VideoScorer.class);

  private final ScoreSettings settings;
  private final MediaSettings media;
  private final EmotionModel model;
  private final double[] thresholds;
  private final List<String> classes;
  private final SegmentCutter cutter;
  private final Configuration conf;

  public VideoScorer(ScoreSettings settings, MediaSettings media, EmotionModel model, double[] thresholds,
                     List<String> classes, SegmentCutter cutter, Configuration conf) {
    this.settings = settings;
    this.media = media;
    this.model = model;
    this.thresholds = thresholds.clone();
    this.classes = List.copyOf(classes);
    this.cutter = cutter;
    this.conf = conf;
  }

  /**
   * A video's rows (by segment) and rejects, how many segments it had, and where its time went:
   * seconds per media step ({@link MediaTimes}), "batch" (building the model's input), "model"
   * (inference) and "video" (the whole call).
   */
  public record Result(String video, List<ScoredSegment> rows, List<ScoreReject> rejects, int segments,
                       double mediaSeconds, Map<String, Double> secondsByStep) implements java.io.Serializable {
    public Result {
      secondsByStep = Collections.unmodifiableMap(new LinkedHashMap<>(secondsByStep));
    }

    Result timed(long startNanos) {
      Map<String, Double> steps = new LinkedHashMap<>(secondsByStep);
      steps.put(VIDEO_STEP, (System.nanoTime() - startNanos) / 1e9);
      return new Result(video, rows, rejects, segments, mediaSeconds, steps);
    }
  }

  /** The step names of {@link Result#secondsByStep()} beside the media steps. */
  public static final String BATCH_STEP = "batch";
  public static final String MODEL_STEP = "model";
  public static final String VIDEO_STEP = "video";

  public Result score(String video) {
    long start = System.nanoTime();
    try {
      return scoreOrReject(video).timed(start);
    } catch (StorageFailure e) {
      throw e; // the storage's problem, not the video's: the task fails and is retried
    } catch (RuntimeException e) {
      LOG.warn("scoring {} failed", video, e);
      return rejected(video, ScoreReject.video(video, ScoreReject.SCORING_FAILED, video, Reject.describe(e)))
          .timed(start);
    }
  }

  private Result scoreOrReject(String video) {
    List<ScoreReject> rejects = new ArrayList<>();
    SegmentSource.Found found = null;
    Parsed<Segment> parsed = null;
    try {
      found = SegmentSource.find(video, settings.segments(), conf);
      if (found.source() != SegmentSource.WINDOWS) parsed = SegmentSource.read(found, conf, media.maxTextFileBytes());
    } catch (IOException e) {
      return rejected(video, ScoreReject.video(video, ScoreReject.UNREADABLE_SEGMENT_FILE,
          found == null ? video : found.path(), "cannot read the segment file: " + e.getMessage()));
    }
    if (parsed != null) {
      for (SkippedLine s : parsed.skipped()) {
        rejects.add(new ScoreReject(video, "line", s.reason(), s.sourcePath(), -1, s.lineNumber(), s.description()));
      }
    }
    try (LocalCopy copy = LocalCopy.of(video, conf)) {
      if (java.nio.file.Files.size(copy.path()) == 0) {
        return rejected(video, ScoreReject.video(video, ScoreReject.EMPTY_FILE, video, "the file is empty (0 bytes)"));
      }
      FrameSampler.VideoInfo info;
      List<Segment> segments;
      CutStream cuts;
      try {
        info = FrameSampler.probe(copy.path());
        segments = parsed != null ? parsed.items() : FixedWindows.of(duration(copy.path(), info),
            settings.windowS(), settings.hopS(), settings.minWindowS());
        cuts = cutter.open(copy.path(), copy.path(), true,
            segments.stream().map(s -> new SegmentCutter.Window(s.startS(), s.endS(), -1)).toList());
      } catch (IOException | RuntimeException e) {
        return rejected(video, ScoreReject.video(video, ScoreReject.UNDECODABLE_MEDIA, video,
            "FFmpeg cannot decode it: " + e.getMessage()));
      }
      try (cuts) {
        Optional<ScoreReject> unusable = unusable(video, parsed != null, info, cuts);
        if (unusable.isPresent()) return rejected(video, unusable.get());
        String source = parsed != null ? found.source().code() : SegmentSource.WINDOWS.code();
        long[] modelNanos = new long[2];
        List<ScoredSegment> rows = scoreSegments(video, source, segments, cuts, rejects, modelNanos);
        double mediaEnd = Math.max(info.durationS(), cuts.audioSecondsSeen());
        if (rows.isEmpty()) {
          rejects.add(ScoreReject.video(video, ScoreReject.NO_SCORABLE_SEGMENT, found.path() == null ? video : found.path(),
              segments.isEmpty() ? "no segments" : "every segment was rejected"));
        }
        Map<String, Double> steps = new LinkedHashMap<>(cuts.times().seconds());
        steps.put(BATCH_STEP, modelNanos[0] / 1e9);
        steps.put(MODEL_STEP, modelNanos[1] / 1e9);
        return new Result(video, rows, rejects, segments.size(), mediaEnd, steps);
      }
    } catch (IOException | UncheckedIOException e) {
      return rejected(video, ScoreReject.video(video, ScoreReject.UNDECODABLE_MEDIA, video, "cannot read: " + e));
    }
  }

  /** Why the model cannot score this video at all, checked once the file is known to decode. */
  private Optional<ScoreReject> unusable(String video, boolean hasSegmentFile, FrameSampler.VideoInfo info,
                                         CutStream cuts) {
    if (!hasSegmentFile && model.spec().uses(Modality.TEXT)) {
      return Optional.of(ScoreReject.video(video, ScoreReject.NEEDS_TEXT, video, "no segment file (.srt, .vtt "
          + "or .txt) for this video, so it would be cut into fixed windows without text, but the model was trained "
          + "on " + Modality.label(model.spec().modalities()) + " and needs text; give the video a segment file or "
          + "score it with a model trained without text (e.g. model.modalities=[a,v])"));
    }
    if (model.spec().uses(Modality.VISUAL) && info.width() <= 0) {
      return Optional.of(ScoreReject.video(video, ScoreReject.NO_VIDEO_STREAM, video,
          "no video stream, and the model needs the visual modality"));
    }
    if (model.spec().uses(Modality.AUDIO) && !cuts.hasAudio()) {
      return Optional.of(ScoreReject.video(video, ScoreReject.NO_AUDIO, video,
          "no audio stream, and the model needs the audio modality"));
    }
    return Optional.empty();
  }

  /**
   * Rows of the segments whose media is complete, scored batch by batch as their cuts arrive;
   * {@code nanos} gets the time spent building batches and in the model.
   */
  private List<ScoredSegment> scoreSegments(String video, String source, List<Segment> segments, CutStream cuts,
                                            List<ScoreReject> rejects, long[] nanos) {
    boolean audio = model.spec().uses(Modality.AUDIO);
    boolean visual = model.spec().uses(Modality.VISUAL);
    List<ScoredSegment> rows = new ArrayList<>();
    List<Segment> batch = new ArrayList<>();
    List<SegmentCutter.Cut> batchCuts = new ArrayList<>();
    while (cuts.hasNext()) {
      SegmentCutter.IndexedCut c = cuts.next();
      Segment s = segments.get(c.index());
      Coverage coverage = c.cut().coverage();
      Optional<Coverage.Shortfall> shortfall = coverage.shortfall(audio, visual);
      if (shortfall.isPresent()) {
        rejects.add(ScoreReject.segment(video, s, shortfall.get().code(), coverage.detail(shortfall.get(), video)));
        continue;
      }
      batch.add(s);
      batchCuts.add(c.cut());
      if (batch.size() == settings.batchSize()) {
        rows.addAll(scoreBatch(video, source, batch, batchCuts, nanos));
        batch.clear();
        batchCuts.clear();
      }
    }
    if (!batch.isEmpty()) rows.addAll(scoreBatch(video, source, batch, batchCuts, nanos));
    rows.sort(Comparator.comparingInt(ScoredSegment::segmentIndex));
    return rows;
  }

  private List<ScoredSegment> scoreBatch(String video, String source, List<Segment> segments,
                                         List<SegmentCutter.Cut> cuts, long[] nanos) {
    long start = System.nanoTime();
    List<Integer> noLabels = Collections.nCopies(classes.size(), 0);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      SegmentCutter.Cut c = cuts.get(i);
      examples.add(new Example(new Path(video).getName() + "#" + s.index(), s.text(), c.nFrames(), c.frames(),
          c.nChunks(), c.mel(), noLabels));
    }
    Batch batch = model.batchBuilder().build(examples);
    long built = System.nanoTime();
    double[][] p = model.probabilities(batch);
    nanos[0] += built - start;
    nanos[1] += System.nanoTime() - built;
    List<ScoredSegment> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      SegmentCutter.Cut c = cuts.get(i);
      List<String> labels = new ArrayList<>();
      for (int k = 0; k < classes.size(); k++) if (p[i][k] > thresholds[k]) labels.add(classes.get(k));
      out.add(new ScoredSegment(video, s.index(), s.startS(), s.endS(), s.text(), source, c.nFrames(), c.nChunks(),
          p[i], labels));
    }
    return out;
  }

  /**
   * What fixed windows cover: the container's duration, or, when the container does not say (some
   * streamed formats), the audio track's length, counted in a pass that keeps no samples.
   */
  private double duration(java.nio.file.Path file, FrameSampler.VideoInfo info) throws IOException {
    return info.durationS() > 0 ? info.durationS() : AudioReader.countSeconds(file, media.sampleRate());
  }

  private static Result rejected(String video, ScoreReject reject) {
    return new Result(video, List.of(), List.of(reject), 0, 0, Map.of());
  }
}
