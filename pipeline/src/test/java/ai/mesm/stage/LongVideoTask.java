package ai.mesm.stage;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.ingest.ReleaseScan;
import ai.mesm.ingest.ReleaseScanner;
import ai.mesm.ingest.SourceItem;
import ai.mesm.ingest.SourceSummary;
import ai.mesm.ingest.UtteranceRecord;
import ai.mesm.media.MediaSettings;
import ai.mesm.model.ModelSettings;
import ai.mesm.score.ScorePartition;
import ai.mesm.score.ScoreSettings;
import ai.mesm.score.VideoScorer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor's side of ingest and scoring, run by {@link LongVideoSmallHeapTest} in a JVM of its
 * own with a small heap: every IEMOCAP dialog under args[0] through the ingest task function
 * (IngestRunner.ProcessSources) and the video args[1] (with its .srt) through the scoring task
 * function (ScorePartition) with the model saved at args[2]. Items are counted and dropped as they
 * are pulled, as Spark does when it writes them, so what stays live is the tasks' own state.
 */
final class LongVideoTask {
  private LongVideoTask() {}

  public static void main(String[] args) throws Exception {
    // No face search: what a task holds does not depend on the detector (one box per actor), and
    // MTCNN on 7,200 samples would double the test's time (detection: FaceTrackerTest, IngestFacesTest).
    MesmConfig c = ConfigLoader.load(List.of(), Map.of("dataset", "iemocap", "media.face.detector", "none"));
    MediaSettings media = MediaSettings.from(c);
    ReleaseScan scan = new ReleaseScanner(new Configuration(), 1 << 20).scan(DatasetKind.IEMOCAP, args[0]);
    long utterances = 0;
    long rejects = 0;
    long accepted = 0;
    double mediaS = 0;
    Iterator<SourceItem> items = new IngestRunner.ProcessSources(media, Map.of()).call(scan.units().iterator());
    while (items.hasNext()) {
      SourceItem item = items.next();
      if (item instanceof UtteranceRecord) {
        utterances++;
      } else if (item instanceof SourceSummary s) {
        if (s.accepted()) accepted++;
        mediaS += s.mediaSeconds();
      } else {
        rejects++;
      }
    }
    System.out.printf(Locale.ROOT, "ingest sources=%d accepted=%d utterances=%d rejects=%d media_s=%.1f%n",
        scan.units().size(), accepted, utterances, rejects, mediaS);

    MesmConfig s = ConfigLoader.load(List.of(), Map.of("dataset", "mosei", "media.face.detector", "none"));
    Iterator<VideoScorer.Result> results = new ScorePartition(ScoreSettings.of(s), MediaSettings.from(s),
        ModelSettings.kernels(s), args[2], Map.of(), new LongAccumulator(), new LongAccumulator())
        .call(List.of(Path.of(args[1]).toUri().toString()).iterator());
    while (results.hasNext()) {
      VideoScorer.Result r = results.next();
      System.out.printf(Locale.ROOT, "score segments=%d rows=%d rejects=%d media_s=%.1f%n", r.segments(),
          r.rows().size(), r.rejects().size(), r.mediaSeconds());
    }
    System.out.printf(Locale.ROOT, "heap max_mib=%d%n", Runtime.getRuntime().maxMemory() >> 20);
  }
}
