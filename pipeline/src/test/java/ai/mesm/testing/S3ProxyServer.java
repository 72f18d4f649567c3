package ai.mesm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A real S3 endpoint on 127.0.0.1 for tests: s3proxy with its filesystem backend, run as its own
 * JVM (its Jackson clashes with Spark's) from the jar the build copies to target/s3proxy.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "mesm-test";
  public static final String SECRET_KEY = "mesm-test-secret";

  private volatile Process process;
  private final int port;
  private final Path log;
  private final Path properties;
  private final Thread cleanup;

  private S3ProxyServer(Process process, int port, Path log, Path properties) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.properties = properties;
    this.cleanup = new Thread(() -> this.process.destroyForcibly());
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Starts s3proxy storing its buckets as folders under {@code dataDir}; waits until it answers. */
  public static S3ProxyServer start(Path dataDir) throws IOException, InterruptedException {
    if (!Files.isRegularFile(Path.of(jar()))) throw new IOException("s3proxy jar not found at " + jar());
    Path store = Files.createDirectories(dataDir.resolve("store"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path properties = dataDir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + store,
        "jclouds.identity=" + ACCESS_KEY,
        "jclouds.credential=" + SECRET_KEY, ""));
    Path log = dataDir.resolve("s3proxy.log");
    S3ProxyServer server = new S3ProxyServer(launch(properties, log), port, log, properties);
    server.awaitReady(Duration.ofSeconds(90));
    return server;
  }

  /** The endpoint lives for one test class: the short-lived JVMs' flags ({@link ShortJvms}), as the cluster test's s3proxy has. */
  private static Process launch(Path properties, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    command.addAll(List.of(ShortJvms.JAVA_OPTS.split(" ")));
    command.addAll(List.of("-jar", jar(), "--properties", properties.toString()));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  private static String jar() {
    return System.getProperty("mesm.s3proxy.jar", "target/s3proxy/s3proxy.jar");
  }

  /** An outage: the endpoint's process is killed (SIGKILL), its data stays. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** The endpoint back on the same port with the same data, once it answers. */
  public void restart() throws IOException, InterruptedException {
    process = launch(properties, log);
    awaitReady(Duration.ofSeconds(90));
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) throw new IOException("s3proxy exited early:\n" + tail());
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        int code = c.getResponseCode(); // any HTTP answer (403 without credentials) means it serves
        c.disconnect();
        if (code > 0) return;
      } catch (IOException notYet) {
        Thread.sleep(250);
      }
    }
    close();
    throw new IOException("s3proxy did not answer within " + timeout + ":\n" + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** Creates a bucket: S3A cannot, and s3proxy's filesystem backend maps each bucket to a folder. */
  public void createBucket(String name) throws IOException {
    Files.createDirectories(log.getParent().resolve("store").resolve(name));
  }

  public Configuration hadoopConf() {
    Configuration conf = new Configuration();
    settings().forEach(conf::set);
    return conf;
  }

  /** The same settings for a SparkSession ("spark.hadoop." + key). */
  public Map<String, String> sparkConf() {
    Map<String, String> out = new LinkedHashMap<>();
    settings().forEach((k, v) -> out.put("spark.hadoop." + k, v));
    return out;
  }

  private Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.s3a.endpoint", "http://127.0.0.1:" + port);
    s.put("fs.s3a.endpoint.region", "us-east-1");
    s.put("fs.s3a.path.style.access", "true");
    s.put("fs.s3a.connection.ssl.enabled", "false");
    s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put("fs.s3a.access.key", ACCESS_KEY);
    s.put("fs.s3a.secret.key", SECRET_KEY);
    // A dead endpoint must fail a test in seconds, not retry for minutes (docs/stack.md).
    s.put("fs.s3a.attempts.maximum", "2");
    s.put("fs.s3a.retry.limit", "2");
    s.put("fs.s3a.connection.establish.timeout", "5000");
    s.put("fs.s3a.change.detection.mode", "none");
    s.put("fs.s3a.impl.disable.cache", "true");
    return s;
  }

  public String uri(String bucket, String path) {
    return "s3a://" + bucket + "/" + path;
  }

  /** Copies a local folder into the bucket through S3A (streamed: copyFromLocalFile fails on s3a). */
  public void upload(Path local, String bucket, String prefix) throws IOException {
    try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://" + bucket + "/"), hadoopConf());
         Stream<Path> files = Files.walk(local)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String key = prefix + "/" + local.relativize(f).toString().replace('\\', '/');
        try (InputStream in = Files.newInputStream(f);
             OutputStream out = fs.create(new org.apache.hadoop.fs.Path(uri(bucket, key)), true)) {
          in.transferTo(out);
        }
      }
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
