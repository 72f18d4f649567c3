package ai.mesm.ingest;

import ai.mesm.data.DatasetKind;
import ai.mesm.io.TextFiles;
import ai.mesm.media.AudioDecoder;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.LocalCopy;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.SegmentCutter;
import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.FaceDetector;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Ingests one dialog or video on an executor: reads its annotation files, decodes its media once,
 * and cuts every annotated utterance into face crops, mel chunks and text (SPEC §1–2). A broken
 * file rejects its source and that source's utterances, never the job.
 */
public final class SourceProcessor {
  private final MediaSettings settings;
  private final Configuration conf;
  private final SegmentCutter cutter;

  public SourceProcessor(MediaSettings settings, Configuration conf, FaceDetector detector, MelSpectrogram mel) {
    this.settings = settings;
    this.conf = conf;
    this.cutter = new SegmentCutter(settings, detector, mel);
  }

  public SourceResult process(WorkUnit unit) {
    String dataset = unit.dataset().configName();
    List<Reject> rejects = new ArrayList<>();
    AnnotatedSource annotated;
    try {
      annotated = annotate(unit);
    } catch (UnreadableFile e) {
      rejects.add(Reject.of(dataset, RejectReason.UNREADABLE_ANNOTATION, e.path, unit.sourceId(), 0, e.getMessage()));
      return new SourceResult(unit.sourceId(), false, List.of(), rejects, 0, 0, 0);
    }
    rejects.addAll(annotated.rejects());
    Optional<Reject> missing = missingFile(unit);
    if (missing.isPresent()) return rejectedSource(unit, annotated, missing.get(), rejects);
    try (LocalCopy video = LocalCopy.of(unit.video(), conf);
         LocalCopy audioFile = LocalCopy.of(unit.audio() != null ? unit.audio() : unit.video(), conf)) {
      String audioPath = unit.audio() != null ? unit.audio() : unit.video();
      float[][] audio;
      FrameSampler.VideoInfo info;
      String failed = unit.video();
      try {
        info = FrameSampler.probe(video.path());
        if (info.width() <= 0) throw new IOException("no video stream");
        failed = audioPath;
        audio = AudioDecoder.decode(audioFile.path(), settings.sampleRate(), unit.dataset() != DatasetKind.IEMOCAP);
        if (audio[0].length == 0) throw new IOException("no audio samples");
      } catch (Exception e) {
        return rejectedSource(unit, annotated, Reject.of(dataset, RejectReason.UNDECODABLE_MEDIA, failed,
            unit.sourceId(), 0, "FFmpeg cannot decode it: " + e.getMessage()), rejects);
      }
      double audioSeconds = audio[0].length / (double) settings.sampleRate();
      double mediaEnd = Math.max(info.durationS(), audioSeconds);
      List<UtteranceAnnotation> keep = new ArrayList<>();
      for (UtteranceAnnotation u : annotated.utterances()) {
        if (u.startS() < 0 || u.endS() > mediaEnd + 1e-3) {
          rejects.add(Reject.of(dataset, RejectReason.OUTSIDE_MEDIA, u.annotationPath(), u.utteranceId(), 0,
              String.format("window [%.4f, %.4f] s, media lasts %.4f s", u.startS(), u.endS(), mediaEnd)));
        } else if (cutter.samplesIn(u.startS(), u.endS(), audio[0].length) <= settings.nFft() / 2) {
          rejects.add(Reject.of(dataset, RejectReason.NO_AUDIO_IN_WINDOW, audioPath, u.utteranceId(), 0,
              "fewer than " + (settings.nFft() / 2 + 1) + " audio samples"));
        } else {
          keep.add(u);
        }
      }
      List<UtteranceRecord> records = cut(unit, keep, audio, video);
      return new SourceResult(unit.sourceId(), true, records, rejects, annotated.lines(), annotated.candidates(),
          mediaEnd);
    } catch (IOException e) {
      return rejectedSource(unit, annotated, Reject.of(dataset, RejectReason.UNDECODABLE_MEDIA, unit.video(),
          unit.sourceId(), 0, "cannot read: " + e), rejects);
    }
  }

  private List<UtteranceRecord> cut(WorkUnit unit, List<UtteranceAnnotation> utterances, float[][] audio,
                                    LocalCopy video) throws IOException {
    List<SegmentCutter.Window> windows = utterances.stream()
        .map(u -> new SegmentCutter.Window(u.startS(), u.endS(), u.side())).toList();
    List<SegmentCutter.Cut> cuts = cutter.cut(video.path(), audio, windows);
    List<UtteranceRecord> records = new ArrayList<>();
    List<String> classes = unit.dataset().classes();
    for (int i = 0; i < utterances.size(); i++) {
      UtteranceAnnotation u = utterances.get(i);
      SegmentCutter.Cut c = cuts.get(i);
      List<String> names = new ArrayList<>();
      for (int k = 0; k < classes.size(); k++) if (u.labels().get(k) == 1) names.add(classes.get(k));
      records.add(new UtteranceRecord(unit.dataset().configName(), u.utteranceId(), u.sourceId(), unit.video(),
          unit.audio() != null ? unit.audio() : unit.video(), u.speaker(),
          u.side() < 0 ? null : (u.side() == 0 ? "left" : "right"), u.startS(), u.endS(), u.text(), u.labels(), names,
          c.nFrames(), c.frameTimes(), c.faceFound(), c.faceBoxes(), c.frames(), c.nChunks(), c.melFrames(), c.mel(),
          settings.effectiveDetector()));
    }
    return records;
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

  private Optional<Reject> missingFile(WorkUnit unit) {
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

  /** The source is rejected, and every utterance its annotations accepted is lost with it: one reject each. */
  private static SourceResult rejectedSource(WorkUnit unit, AnnotatedSource annotated, Reject cause,
                                             List<Reject> rejects) {
    rejects.add(cause);
    for (UtteranceAnnotation u : annotated.utterances()) {
      rejects.add(new Reject(cause.dataset(), RejectReason.SOURCE_REJECTED.stage().code(),
          RejectReason.SOURCE_REJECTED.code(), cause.sourcePath(), u.utteranceId(), 0,
          "its " + cause.itemId() + " was rejected: " + cause.reason()));
    }
    return new SourceResult(unit.sourceId(), false, List.of(), rejects, annotated.lines(), annotated.candidates(), 0);
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
