package ai.mesm.io;

import ai.mesm.config.MesmConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Moving files between the local disk and any Hadoop filesystem (s3a://, hdfs://, file://). */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** True for plain paths and file: URIs, which the JDK can write directly. */
  public static boolean isLocal(String location) {
    URI uri = URI.create(location.replace(" ", "%20"));
    return uri.getScheme() == null || uri.getScheme().equals("file");
  }

  public static Path localPath(String location) {
    URI uri = URI.create(location.replace(" ", "%20"));
    return uri.getScheme() == null ? Path.of(location) : Path.of(uri);
  }

  /**
   * Hadoop settings for driver-side file work outside a SparkSession: every "spark.hadoop.X"
   * entry of mesm.spark.conf becomes X, as Spark itself would do; file:// as in a local session.
   */
  public static Configuration hadoopConf(MesmConfig config) {
    Configuration conf = new Configuration();
    for (Map.Entry<String, String> e : SparkSettings.of(config).conf().entrySet()) {
      if (e.getKey().startsWith("spark.hadoop.")) conf.set(e.getKey().substring("spark.hadoop.".length()), e.getValue());
    }
    NioLocalFileSystem.offerTo(conf);
    return conf;
  }

  /**
   * Copies a local folder to {@code target}, replacing what is there. Streams each file through
   * {@code fs.create}: hadoop-aws 3.3.4's copyFromLocalFile fails on s3a (docs/stack.md).
   */
  public static long uploadTree(Path localRoot, String target, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path targetRoot = new org.apache.hadoop.fs.Path(target);
    FileSystem fs = targetRoot.getFileSystem(conf);
    long bytes = 0;
    try (Stream<Path> walk = Files.walk(localRoot)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      for (Path file : files) {
        String relative = localRoot.relativize(file).toString().replace('\\', '/');
        try (InputStream in = Files.newInputStream(file);
             OutputStream out = fs.create(new org.apache.hadoop.fs.Path(targetRoot, relative), true)) {
          bytes += in.transferTo(out);
        }
      }
    }
    return bytes;
  }
}
