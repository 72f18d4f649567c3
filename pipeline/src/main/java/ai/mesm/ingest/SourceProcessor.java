package ai.mesm.ingest;

import ai.mesm.data.DatasetKind;
import ai.mesm.io.StorageFailure;
import ai.mesm.io.TextFiles;
import ai.mesm.media.Coverage;
import ai.mesm.media.CutStream;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.LocalCopy;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.MediaTimes;
import ai.mesm.media.SegmentCutter;
import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.FaceDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one dialog or video on an executor: reads its annotation files, decodes its media once,
 * and cuts every annotated utterance into face crops, mel chunks and text (docs/computation.md#ingest), handing
 * each utterance over as soon as it is cut. A broken file, or any failure while a source is
 * processed, rejects that source and the utterances not yet handed over, never the job.
 */
public final class SourceProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(SourceProcessor.class);

  private final MediaSettings settings;
  private final Configuration conf;
  private final SegmentCutter cutter;

  public SourceProcessor(MediaSettings settings, Configuration conf, FaceDetector detector, MelSpectrogram mel) {
    this.settings = settings;
    this.conf = conf;
    this.cutter = new SegmentCutter(settings, detector, mel);
  }

  /**
   * The source's items, produced as they are pulled: annotation rejects first, then each utterance
   * (or its reject) as its window is cut, then the {@link SourceSummary}. Close it if abandoned early.
   */
  public Items process(WorkUnit unit) {
    return new Items(unit);
  }

  /** The items of one source; holds its media open until the last one is pulled. */
  public final class Items implements Iterator<SourceItem>, AutoCloseable {
    private final WorkUnit unit;
    private final String dataset;
    private final ArrayDeque<SourceItem> queue = new ArrayDeque<>();
    private final SourceSummary.Tally tally = new SourceSummary.Tally();
    private AnnotatedSource annotated;
    private boolean[] handedOver;
    private LocalCopy video;
    private LocalCopy audioFile;
    private CutStream cuts;
    private boolean started;
    private boolean finished;
    private long startNanos;
    /** Seconds by step of the media cut (docs/performance.md); "source" is the source's whole time. */
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    private Items(WorkUnit unit) {
      this.unit = unit;
      this.dataset = unit.dataset().configName();
    }

    @Override
    public boolean hasNext() {
      while (queue.isEmpty() && !finished) step();
      return !queue.isEmpty();
    }

    @Override
    public SourceItem next() {
      if (!hasNext()) throw new NoSuchElementException();
      return queue.poll();
    }

    private void step() {
      try {
        if (!started) {
          started = true;
          startNanos = System.nanoTime();
          start();
        } else if (cuts.hasNext()) {
          take(cuts.next());
        } else {
          finish(true, Math.max(cuts.videoInfo().durationS(), cuts.audioSecondsSeen()));
        }
      } catch (IOException | UncheckedIOException e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        fail(RejectReason.UNDECODABLE_MEDIA, unit.video(), "cannot read: " + cause);
      } catch (StorageFailure e) {
        throw e; // the storage's problem, not the source's: the task fails and is retried
      } catch (RuntimeException e) {
        // One source's bug or broken input must not fail the task, and with it every other source.
        LOG.warn("ingest of {} failed", unit.sourceId(), e);
        fail(RejectReason.PROCESSING_FAILED, firstPresent(unit), Reject.describe(e));
      }
    }

    private void start() throws IOException {
      try {
        annotated = annotate(unit);
      } catch (UnreadableFile e) {
        emit(Reject.of(dataset, RejectReason.UNREADABLE_ANNOTATION, e.path, unit.sourceId(), 0, e.getMessage()));
        finish(false, 0);
        return;
      }
      handedOver = new boolean[annotated.utterances().size()];
      annotated.rejects().forEach(this::emit);
      Optional<Reject> missing = missingFile(unit);
      if (missing.isPresent()) {
        rejectSource(missing.get());
        return;
      }
      video = LocalCopy.of(unit.video(), conf);
      audioFile = LocalCopy.of(audioPath(), conf);
      String failed = unit.video();
      try {
        if (FrameSampler.probe(video.path()).width() <= 0) throw new IOException("no video stream");
        failed = audioPath();
        cuts = cutter.open(video.path(), audioFile.path(), unit.dataset() != DatasetKind.IEMOCAP, windows());
        if (!cuts.hasAudio()) throw new IOException("no audio samples");
      } catch (Exception e) {
        rejectSource(Reject.of(dataset, RejectReason.UNDECODABLE_MEDIA, failed, unit.sourceId(), 0,
            "FFmpeg cannot decode it: " + e.getMessage()));
      }
    }

    private List<SegmentCutter.Window> windows() {
      return annotated.utterances().stream().map(u -> new SegmentCutter.Window(u.startS(), u.endS(), u.side())).toList();
    }

    private void take(SegmentCutter.IndexedCut c) {
      SourceItem item = item(annotated.utterances().get(c.index()), c.cut());
      // Only now: an utterance whose item could not be made is rejected with its source.
      handedOver[c.index()] = true;
      emit(item);
    }

    private SourceItem item(UtteranceAnnotation u, SegmentCutter.Cut cut) {
      Coverage coverage = cut.coverage();
      Optional<Coverage.Shortfall> shortfall = coverage.shortfall(true, true);
      if (shortfall.isEmpty()) return record(unit, u, cut);
      String path = switch (shortfall.get()) {
        case OUTSIDE_MEDIA -> u.annotationPath();
        case NO_AUDIO_IN_WINDOW -> audioPath();
        case VIDEO_ENDED_EARLY -> unit.video();
      };
      return Reject.of(dataset, RejectReason.valueOf(shortfall.get().name()), path, u.utteranceId(), 0,
          coverage.detail(shortfall.get(), unit.video()));
    }

    private void fail(RejectReason reason, String path, String detail) {
      Reject cause = Reject.of(dataset, reason, path, unit.sourceId(), 0, detail);
      if (annotated == null) {
        emit(cause);
        finish(false, 0);
      } else {
        rejectSource(cause);
      }
    }

    /**
     * The source is rejected, and every utterance its annotations accepted and not yet handed over is
     * lost with it: one reject each (those handed over before a failure stay: they are complete).
     */
    private void rejectSource(Reject cause) {
      emit(cause);
      List<UtteranceAnnotation> utterances = annotated.utterances();
      for (int i = 0; i < utterances.size(); i++) {
        if (handedOver[i]) continue;
        handedOver[i] = true;
        emit(new Reject(cause.dataset(), RejectReason.SOURCE_REJECTED.stage().code(),
            RejectReason.SOURCE_REJECTED.code(), cause.sourcePath(), utterances.get(i).utteranceId(), 0,
            "its " + cause.itemId() + " was rejected: " + cause.reason()));
      }
      finish(false, 0);
    }

    private void finish(boolean accepted, double mediaSeconds) {
      close();
      seconds.put(SourceSummary.SOURCE_STEP, (System.nanoTime() - startNanos) / 1e9);
      queue.add(tally.summary(accepted, annotated == null ? 0 : annotated.lines(),
          annotated == null ? 0 : annotated.candidates(), mediaSeconds, seconds));
      finished = true;
    }

    private void emit(SourceItem item) {
      queue.add(tally.count(item));
    }

    private String audioPath() {
      return unit.audio() != null ? unit.audio() : unit.video();
    }

    @Override
    public void close() {
      List<AutoCloseable> open = new ArrayList<>();
      if (cuts != null) {
        MediaTimes.addTo(seconds, cuts.times().seconds());
        open.add(cuts);
      }
      if (audioFile != null) open.add(audioFile);
      if (video != null) open.add(video);
      cuts = null;
      audioFile = null;
      video = null;
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("cannot release media of {}", unit.sourceId(), e);
        }
      }
    }
  }

  private UtteranceRecord record(WorkUnit unit, UtteranceAnnotation u, SegmentCutter.Cut c) {
    List<String> classes = unit.dataset().classes();
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classes.size(); k++) if (u.labels().get(k) == 1) names.add(classes.get(k));
    return new UtteranceRecord(unit.dataset().configName(), u.utteranceId(), u.sourceId(), unit.video(),
        unit.audio() != null ? unit.audio() : unit.video(), u.speaker(),
        u.side() < 0 ? null : (u.side() == 0 ? "left" : "right"), u.startS(), u.endS(), u.text(), u.labels(), names,
        c.nFrames(), c.frameTimes(), c.faceFound(), c.faceBoxes(), c.frames(), c.nChunks(), c.melFrames(), c.mel(),
        settings.effectiveDetector());
  }

  private AnnotatedSource annotate(WorkUnit unit) throws UnreadableFile {
    if (unit.dataset() == DatasetKind.IEMOCAP) {
      List<String> transcript = unit.transcript() == null ? List.of() : readLines(unit.transcript());
      List<String> evaluation = unit.evaluation() == null ? List.of() : readLines(unit.evaluation());
      return IemocapAnnotations.assemble(String.valueOf(unit.transcript()), transcript,
          String.valueOf(unit.evaluation()), evaluation);
    }
    List<String> transcript = unit.transcript() == null ? List.of() : readLines(unit.transcript());
    return MoseiAnnotations.assemble(unit.sourceId(), String.valueOf(unit.transcript()), transcript, unit.clipLabels());
  }

  private static Optional<Reject> missingFile(WorkUnit unit) {
    String dataset = unit.dataset().configName();
    if (unit.transcript() == null) {
      return Optional.of(Reject.of(dataset, RejectReason.MISSING_TRANSCRIPT, firstPresent(unit), unit.sourceId(), 0,
          "no transcript file for this " + sourceKind(unit)));
    }
    if (unit.dataset() == DatasetKind.IEMOCAP && unit.evaluation() == null) {
      return Optional.of(Reject.of(dataset, RejectReason.MISSING_EVALUATION, firstPresent(unit), unit.sourceId(), 0,
          "no EmoEvaluation file for this dialog"));
    }
    if (unit.video() == null) {
      return Optional.of(Reject.of(dataset, RejectReason.MISSING_VIDEO, firstPresent(unit), unit.sourceId(), 0,
          "no video file for this " + sourceKind(unit)));
    }
    if (unit.dataset() == DatasetKind.IEMOCAP && unit.audio() == null) {
      return Optional.of(Reject.of(dataset, RejectReason.MISSING_AUDIO, firstPresent(unit), unit.sourceId(), 0,
          "no wav file for this dialog"));
    }
    return Optional.empty();
  }

  private static String sourceKind(WorkUnit unit) {
    return unit.dataset() == DatasetKind.IEMOCAP ? "dialog" : "video";
  }

  private static String firstPresent(WorkUnit unit) {
    for (String p : new String[] {unit.video(), unit.audio(), unit.transcript(), unit.evaluation()}) {
      if (p != null) return p;
    }
    return unit.sourceId();
  }

  private List<String> readLines(String location) throws UnreadableFile {
    try {
      return TextFiles.utf8(location, conf, settings.maxTextFileBytes()).lines().toList();
    } catch (CharacterCodingException e) {
      throw new UnreadableFile(location, "not UTF-8 text (" + e + ")");
    } catch (TextFiles.TooLarge e) {
      throw new UnreadableFile(location, e.reason());
    } catch (IOException e) {
      throw new UnreadableFile(location, "cannot read: " + e.getMessage());
    }
  }

  private static final class UnreadableFile extends Exception {
    final String path;

    UnreadableFile(String path, String message) {
      super(path + ": " + message);
      this.path = path;
    }
  }
}
