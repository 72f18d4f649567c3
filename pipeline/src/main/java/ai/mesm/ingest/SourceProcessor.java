package ai.mesm.ingest;

import ai.mesm.data.DatasetKind;
import ai.mesm.media.AudioDecoder;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.LocalCopy;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.FaceBox;
import ai.mesm.media.face.FaceCropper;
import ai.mesm.media.face.FaceDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Ingests one dialog or video on an executor: reads its annotation files, decodes its media once,
 * and cuts every annotated utterance into face crops, mel chunks and text (SPEC §1–2). A broken
 * file rejects its source and that source's utterances, never the job.
 */
public final class SourceProcessor {
  private final MediaSettings settings;
  private final Configuration conf;
  private final FaceDetector detector;
  private final MelSpectrogram mel;
  private final FaceCropper cropper;

  public SourceProcessor(MediaSettings settings, Configuration conf, FaceDetector detector, MelSpectrogram mel) {
    this.settings = settings;
    this.conf = conf;
    this.detector = detector;
    this.mel = mel;
    this.cropper = new FaceCropper(settings.faceSize(), settings.faceMargin());
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
        } else if (samplesIn(u, audio[0].length) <= settings.nFft() / 2) {
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

  private int samplesIn(UtteranceAnnotation u, int length) {
    int from = (int) Math.round(u.startS() * settings.sampleRate());
    int to = (int) Math.min(length, Math.round(u.endS() * settings.sampleRate()));
    return Math.max(0, to - from);
  }

  private List<UtteranceRecord> cut(WorkUnit unit, List<UtteranceAnnotation> utterances, float[][] audio,
                                    LocalCopy video) throws IOException {
    int faceBytes = settings.faceSize() * settings.faceSize() * 3;
    List<double[]> times = new ArrayList<>();
    int total = 0;
    for (UtteranceAnnotation u : utterances) {
      double[] t = settings.frameTimes(u.startS(), u.endS());
      times.add(t);
      total += t.length;
    }
    double[] all = new double[total];
    int[] owner = new int[total];
    int[] slot = new int[total];
    for (int i = 0, k = 0; i < utterances.size(); i++) {
      for (int j = 0; j < times.get(i).length; j++, k++) {
        all[k] = times.get(i)[j];
        owner[k] = i;
        slot[k] = j;
      }
    }
    byte[][] crops = new byte[total][];
    float[][] boxes = new float[total][];
    double[] shown = new double[total];
    FrameSampler.sample(video.path(), all, (index, frameTime, frame) -> {
      UtteranceAnnotation u = utterances.get(owner[index]);
      BufferedImage region = u.side() < 0 ? frame : half(frame, u.side());
      Optional<FaceBox> face = detector.detectLargest(region);
      crops[index] = cropper.crop(region, face.orElse(null));
      FaceBox b = face.orElse(null);
      boxes[index] = b == null ? new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}
          : new float[] {b.x1() + (u.side() == 1 ? frame.getWidth() / 2f : 0), b.y1(),
              b.x2() + (u.side() == 1 ? frame.getWidth() / 2f : 0), b.y2()};
      shown[index] = frameTime;
    });
    List<UtteranceRecord> records = new ArrayList<>();
    List<String> classes = unit.dataset().classes();
    for (int i = 0, k = 0; i < utterances.size(); i++) {
      UtteranceAnnotation u = utterances.get(i);
      int n = 0;
      for (int j = 0; j < times.get(i).length; j++) if (crops[k + j] != null) n++;
      byte[] frames = new byte[n * faceBytes];
      double[] frameTimes = new double[n];
      boolean[] found = new boolean[n];
      float[] faceBoxes = new float[n * 4];
      for (int j = 0, f = 0; j < times.get(i).length; j++, k++) {
        if (crops[k] == null) continue; // the video ended before this time
        System.arraycopy(crops[k], 0, frames, f * faceBytes, faceBytes);
        frameTimes[f] = shown[k];
        found[f] = !Float.isNaN(boxes[k][0]);
        System.arraycopy(boxes[k], 0, faceBoxes, f * 4, 4);
        f++;
      }
      float[] samples = window(audio[u.side() < 0 ? 0 : Math.min(u.side(), audio.length - 1)], u);
      float[][] spectrogram = mel.compute(samples);
      List<float[]> chunks = MelSpectrogram.chunks(spectrogram, settings.chunkFrames());
      float[] flat = new float[chunks.size() * settings.nMels() * settings.chunkFrames()];
      for (int c = 0; c < chunks.size(); c++) System.arraycopy(chunks.get(c), 0, flat, c * chunks.get(c).length,
          chunks.get(c).length);
      List<String> names = new ArrayList<>();
      for (int c = 0; c < classes.size(); c++) if (u.labels().get(c) == 1) names.add(classes.get(c));
      records.add(new UtteranceRecord(unit.dataset().configName(), u.utteranceId(), u.sourceId(), unit.video(),
          unit.audio() != null ? unit.audio() : unit.video(), u.speaker(),
          u.side() < 0 ? null : (u.side() == 0 ? "left" : "right"), u.startS(), u.endS(), u.text(), u.labels(), names,
          n, frameTimes, found, faceBoxes, frames, chunks.size(), spectrogram[0].length, flat,
          settings.effectiveDetector()));
    }
    return records;
  }

  private float[] window(float[] channel, UtteranceAnnotation u) {
    int from = (int) Math.round(u.startS() * settings.sampleRate());
    int to = (int) Math.min(channel.length, Math.round(u.endS() * settings.sampleRate()));
    return Arrays.copyOfRange(channel, from, to);
  }

  private static BufferedImage half(BufferedImage frame, int side) {
    int w = frame.getWidth() / 2;
    return frame.getSubimage(side == 0 ? 0 : w, 0, w, frame.getHeight());
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
    Path path = new Path(location);
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      byte[] bytes = in.readAllBytes();
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return text.lines().toList();
    } catch (CharacterCodingException e) {
      throw new UnreadableFile(location, "not UTF-8 text (" + e + ")");
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
