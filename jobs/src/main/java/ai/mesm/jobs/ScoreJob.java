package ai.mesm.jobs;

import ai.mesm.io.SparkSessions;
import ai.mesm.stage.ScoreRunner;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An archive of videos (mesm.score.input, any Hadoop URI) + a trained model (mesm.score.model)
 * → per-segment emotion predictions under mesm.paths.scores/&lt;model id&gt;/ (Parquet, a CSV or JSON
 * Lines export, rejects), resumable; the accounting printed at the end.
 */
public final class ScoreJob {
  static final String USAGE = "Scores every video under mesm.score.input with the model mesm.score.model (run name or\n"
      + "folder): segments from <video>.srt / .vtt / .txt (MOSEI segmented transcript) beside the video or in\n"
      + "mesm.score.segments, else fixed windows (score.window-s, score.hop-s; no text, so the model must not need\n"
      + "it). Writes mesm.paths.scores/<model id>/{scores,rejects} (Parquet) and export/ (score.format: csv or\n"
      + "jsonl). score.mode = resume scores only what is missing; overwrite starts over.";

  private ScoreJob() {}

  public static void main(String[] args) {
    JobMain.main("ScoreJob", USAGE, args, Set.of(), (config, arguments) -> {
      SparkSession spark = SparkSessions.create(config);
      try {
        ScoreRunner.Result r = ScoreRunner.run(spark, config, System.out::println);
        System.out.println(r.accounting());
        System.out.printf("%.1f s; output -> %s%n", r.seconds(), r.output());
        List<Row> first = spark.read().parquet(r.output() + "/" + ScoreRunner.SCORES)
            .orderBy("video", "segment_index").limit(5).collectAsList();
        if (!first.isEmpty()) {
          System.out.println("first rows:");
          String[] names = spark.read().parquet(r.output() + "/" + ScoreRunner.SCORES).columns();
          for (Row row : first) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < names.length; i++) {
              if (names[i].equals("model_version") || names[i].equals("run_id")) continue;
              Object v = row.get(i);
              if (v instanceof Double d) v = String.format(java.util.Locale.ROOT, "%.3f", d);
              if (v instanceof scala.collection.Seq<?>) v = row.getList(i);
              sb.append(names[i]).append('=').append(v).append("  ");
            }
            System.out.println(sb.toString().stripTrailing());
          }
        }
        List<Row> rejected = spark.read().parquet(r.output() + "/" + ScoreRunner.REJECTS).where("stage = 'video'")
            .orderBy("video").limit(5).collectAsList();
        if (!rejected.isEmpty()) {
          System.out.println("rejected videos:");
          for (Row x : rejected) {
            System.out.println("  " + x.getAs("video") + ": " + x.getAs("reason") + " (" + x.getAs("detail") + ")");
          }
        }
        if (!r.balanced()) throw new IllegalStateException("the accounting does not add up (a bug): see above");
      } finally {
        spark.stop();
      }
    });
  }
}
