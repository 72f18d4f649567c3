package ai.mesm.score;

import ai.mesm.io.LazyPartition;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.SegmentCutter;
import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.FaceDetector;
import ai.mesm.media.face.FaceDetectors;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.SameDiffChatterFilter;
import ai.mesm.model.Kernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of scoring: the model, a face detector and the mel transform once per partition,
 * then each video as its result is pulled.
 */
public final class ScorePartition implements FlatMapFunction<Iterator<String>, VideoScorer.Result> {
  private static final long serialVersionUID = 1L;
  private final ScoreSettings settings;
  private final MediaSettings media;
  /** mesm.model.mesm.kernels, applied in each executor JVM. */
  private final Kernels kernels;
  private final String modelLocation;
  private final Map<String, String> hadoopSettings;
  private final LongAccumulator videosDone;
  private final LongAccumulator segmentsDone;

  public ScorePartition(ScoreSettings settings, MediaSettings media, Kernels kernels, String modelLocation,
                        Map<String, String> hadoopSettings, LongAccumulator videosDone, LongAccumulator segmentsDone) {
    this.settings = settings;
    this.media = media;
    this.kernels = kernels;
    this.modelLocation = modelLocation;
    this.hadoopSettings = hadoopSettings;
    this.videosDone = videosDone;
    this.segmentsDone = segmentsDone;
  }

  @Override
  public Iterator<VideoScorer.Result> call(Iterator<String> videos) {
    if (!videos.hasNext()) return List.<VideoScorer.Result>of().iterator();
    SameDiffChatterFilter.install();
    kernels.apply();
    Configuration conf = new Configuration();
    hadoopSettings.forEach(conf::set);
    ModelArtifact.Loaded loaded;
    try {
      loaded = ModelArtifact.load(modelLocation, conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FaceDetector detector = FaceDetectors.create(media, conf);
    VideoScorer scorer = new VideoScorer(settings, media, loaded.model().frozen(), loaded.manifest().thresholds(),
        loaded.manifest().classes(), new SegmentCutter(media, detector, new MelSpectrogram(media.mel())), conf);
    // Each video is scored when Spark pulls its result, so a partition never holds all its results.
    return LazyPartition.of(videos, video -> {
      VideoScorer.Result r = scorer.score(video);
      videosDone.add(1);
      segmentsDone.add(r.rows().size());
      return List.of(r).iterator();
    }, detector);
  }
}
