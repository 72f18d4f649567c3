package ai.mesm.score;

import ai.mesm.data.Batch;
import ai.mesm.data.BatchBuilder;
import ai.mesm.data.Example;
import ai.mesm.ingest.Parsed;
import ai.mesm.ingest.Reject;
import ai.mesm.ingest.SkippedLine;
import ai.mesm.media.AudioDecoder;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.LocalCopy;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.SegmentCutter;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Scores one video, free of Spark (it runs the same in a test and on an executor): its segments
 * from its segment file or fixed windows, the media cut exactly as ingest cuts utterances
 * ({@link SegmentCutter}), the model's probabilities per segment and its labels at the model's
 * validation thresholds. A broken file or segment ends as a reject with a reason, never as an
 * exception, so one video cannot stop an archive.
 */
public final class VideoScorer {
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

  /** A video's rows and rejects, and how many segments it had. */
  public record Result(String video, List<ScoredSegment> rows, List<ScoreReject> rejects, int segments,
                       double mediaSeconds) implements java.io.Serializable {}

  public Result score(String video) {
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
        rejects.add(new ScoreReject(video, "line", s.reason(), s.sourcePath(), -1, s.lineNumber(), Reject.abbreviate(s.line())));
      }
    }
    try (LocalCopy copy = LocalCopy.of(video, conf)) {
      if (java.nio.file.Files.size(copy.path()) == 0) {
        return rejected(video, ScoreReject.video(video, ScoreReject.EMPTY_FILE, video, "the file is empty (0 bytes)"));
      }
      FrameSampler.VideoInfo info;
      float[][] audio;
      try {
        info = FrameSampler.probe(copy.path());
        audio = AudioDecoder.decode(copy.path(), media.sampleRate(), true);
      } catch (Exception e) {
        return rejected(video, ScoreReject.video(video, ScoreReject.UNDECODABLE_MEDIA, video,
            "FFmpeg cannot decode it: " + e.getMessage()));
      }
      // After decoding, so that a broken file is reported as broken whatever its segments.
      if (parsed == null && model.spec().uses(Modality.TEXT)) {
        return rejected(video, ScoreReject.video(video, ScoreReject.NEEDS_TEXT, video, "no segment file (.srt, .vtt "
            + "or .txt) for this video, so it would be cut into fixed windows without text, but the model was trained "
            + "on " + Modality.label(model.spec().modalities()) + " and needs text; give the video a segment file or "
            + "score it with a model trained without text (e.g. model.modalities=[a,v])"));
      }
      if (model.spec().uses(Modality.VISUAL) && info.width() <= 0) {
        return rejected(video, ScoreReject.video(video, ScoreReject.NO_VIDEO_STREAM, video,
            "no video stream, and the model needs the visual modality"));
      }
      if (model.spec().uses(Modality.AUDIO) && audio[0].length == 0) {
        return rejected(video, ScoreReject.video(video, ScoreReject.NO_AUDIO, video,
            "no audio stream, and the model needs the audio modality"));
      }
      double mediaEnd = Math.max(info.durationS(), audio[0].length / (double) media.sampleRate());
      List<Segment> segments = parsed != null ? parsed.items()
          : FixedWindows.of(mediaEnd, settings.windowS(), settings.hopS(), settings.minWindowS());
      String source = parsed != null ? found.source().code() : SegmentSource.WINDOWS.code();
      List<Segment> keep = new ArrayList<>();
      for (Segment s : segments) {
        if (s.startS() < 0 || s.endS() > mediaEnd + 1e-3) {
          rejects.add(ScoreReject.segment(video, s, ScoreReject.OUTSIDE_MEDIA, String.format(Locale.ROOT,
              "segment [%.3f, %.3f] s, media lasts %.3f s", s.startS(), s.endS(), mediaEnd)));
        } else if (model.spec().uses(Modality.AUDIO)
            && cutter.samplesIn(s.startS(), s.endS(), audio[0].length) <= media.nFft() / 2) {
          rejects.add(ScoreReject.segment(video, s, ScoreReject.NO_AUDIO_IN_WINDOW,
              "fewer than " + (media.nFft() / 2 + 1) + " audio samples"));
        } else {
          keep.add(s);
        }
      }
      if (keep.isEmpty()) {
        rejects.add(ScoreReject.video(video, ScoreReject.NO_SCORABLE_SEGMENT, found.path() == null ? video : found.path(),
            segments.isEmpty() ? "no segments" : "every segment was rejected"));
        return new Result(video, List.of(), rejects, segments.size(), mediaEnd);
      }
      List<SegmentCutter.Cut> cuts = cutter.cut(copy.path(), audio,
          keep.stream().map(s -> new SegmentCutter.Window(s.startS(), s.endS(), -1)).toList());
      return new Result(video, rows(video, source, keep, cuts), rejects, segments.size(), mediaEnd);
    } catch (IOException e) {
      return rejected(video, ScoreReject.video(video, ScoreReject.UNDECODABLE_MEDIA, video, "cannot read: " + e));
    }
  }

  private List<ScoredSegment> rows(String video, String source, List<Segment> segments, List<SegmentCutter.Cut> cuts) {
    BatchBuilder builder = model.batchBuilder();
    List<Integer> noLabels = Collections.nCopies(classes.size(), 0);
    List<ScoredSegment> out = new ArrayList<>();
    for (int from = 0; from < segments.size(); from += settings.batchSize()) {
      int to = Math.min(segments.size(), from + settings.batchSize());
      List<Example> examples = new ArrayList<>();
      for (int i = from; i < to; i++) {
        Segment s = segments.get(i);
        SegmentCutter.Cut c = cuts.get(i);
        examples.add(new Example(new Path(video).getName() + "#" + s.index(), s.text(), c.nFrames(), c.frames(),
            c.nChunks(), c.mel(), noLabels));
      }
      Batch batch = builder.build(examples);
      double[][] p = model.probabilities(batch);
      for (int i = from; i < to; i++) {
        Segment s = segments.get(i);
        SegmentCutter.Cut c = cuts.get(i);
        double[] probs = p[i - from];
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) if (probs[k] > thresholds[k]) labels.add(classes.get(k));
        out.add(new ScoredSegment(video, s.index(), s.startS(), s.endS(), s.text(), source, c.nFrames(), c.nChunks(),
            probs, labels));
      }
    }
    return out;
  }

  private static Result rejected(String video, ScoreReject reject) {
    return new Result(video, List.of(), List.of(reject), 0, 0);
  }
}
