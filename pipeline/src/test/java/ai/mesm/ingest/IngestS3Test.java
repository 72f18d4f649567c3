package ai.mesm.ingest;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.stage.IngestRunner;
import ai.mesm.testing.S3ProxyServer;
import ai.mesm.testing.SharedCorpus;
import ai.mesm.testing.Slow;
import ai.mesm.testing.TestSpark;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest job reads a release from and writes its output to object storage, unchanged (s3a://). */
@Slow
class IngestS3Test {
  @Test
  void bothLayoutsThroughS3a(@TempDir Path dir) throws Exception {
    Path corpus = SharedCorpus.root();
    try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
      s3.createBucket("lab");
      s3.upload(corpus, "lab", "raw");
      SparkSession spark = TestSpark.start(s3.sparkConf());
      try {
        for (String dataset : List.of("iemocap", "mosei")) {
          String out = s3.uri("lab", "mesm/" + dataset + "/ingest");
          Map<String, String> o = new HashMap<>(Map.of("dataset", dataset, "paths.input", s3.uri("lab", "raw"),
              "paths.ingest", out));
          MesmConfig config = ConfigLoader.load(List.of(), o);
          IngestReport report = IngestRunner.run(spark, config);
          assertTrue(report.balanced(), report.render());
          long expected = Files.readAllLines(corpus.resolve("_truth/" + dataset + ".csv")).stream()
              .filter(l -> l.contains(",accepted,")).count();
          assertEquals(expected, report.stage("utterance").accepted(), report.render());
          assertEquals(expected, spark.read().parquet(out + "/utterances").count());
          String video = spark.read().parquet(out + "/utterances").first().getAs("video_path");
          assertTrue(video.startsWith("s3a://lab/raw/"), video);
          long rejected = report.stages().stream().mapToLong(IngestReport.StageCount::rejected).sum();
          assertEquals(rejected, spark.read().parquet(out + "/rejects").count());
          try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://lab/"), s3.hadoopConf());
               InputStream in = fs.open(new org.apache.hadoop.fs.Path(out + "/_manifest.json"))) {
            String manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(manifest.contains("\"balanced\": true"), manifest);
            assertEquals(0, fs.globStatus(new org.apache.hadoop.fs.Path(out + "/_staging-*")).length);
          }
          // The split stage runs unchanged on the same object store (MOSEI by the uploaded folds).
          String split = s3.uri("lab", "mesm/" + dataset + "/split");
          ai.mesm.stage.SplitRunner.Result r = ai.mesm.stage.SplitRunner.run(spark, ConfigLoader.load(List.of(),
              Map.of("dataset", dataset, "paths.ingest", out, "paths.split", split,
                  "split.files", s3.uri("lab", "raw/mosei_folds"))));
          long assigned = ai.mesm.split.Split.ALL.stream().mapToLong(x -> r.statistics().total(x)).sum();
          assertEquals(assigned, spark.read().parquet(split + "/utterances").count());
          assertTrue(spark.read().parquet(split + "/utterances").columns().length > 20);
        }
      } finally {
        spark.stop();
      }
    }
  }

  /**
   * With the shipped S3A settings, an endpoint that does not answer fails the job promptly with
   * an error naming the location (S3A's own defaults kept it silent for minutes).
   */
  @Test
  void unreachableEndpointFailsPromptlyNamingTheLocation() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Map<String, String> o = new HashMap<>(Map.of("dataset", "iemocap", "spark.master", "local[2]",
        "paths.input", "s3a://lab/raw", "paths.ingest", "s3a://lab/out"));
    Map.of("endpoint", "http://127.0.0.1:" + closed, "path.style.access", "true", "endpoint.region", "us-east-1",
        "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider", "access.key", "k",
        "secret.key", "s").forEach((k, v) -> o.put("spark.conf.\"spark.hadoop.fs.s3a." + k + "\"", v));
    o.put("spark.conf.\"spark.ui.enabled\"", "false");
    MesmConfig config = ConfigLoader.load(List.of(), o);
    SparkSession spark = ai.mesm.io.SparkSessions.create(config);
    try {
      long t0 = System.nanoTime();
      Exception e = assertTimeoutPreemptively(java.time.Duration.ofMinutes(3),
          () -> assertThrows(Exception.class, () -> IngestRunner.run(spark, config)));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("unreachable endpoint: failed after %.1f s: %s%n", seconds, e);
      StringBuilder chain = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) chain.append(t).append('\n');
      assertTrue(chain.toString().contains("s3a://lab/raw"), chain.toString());
    } finally {
      spark.stop();
    }
  }
}
