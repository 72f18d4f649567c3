package ai.mesm.cluster;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.data.ExampleSource;
import ai.mesm.eval.Predictions;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.loss.WeightedBceWithLogits;
import ai.mesm.model.sparse.NativeKernels;
import ai.mesm.testing.ShortJvms;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster as users run it: {@code bin/cluster up} (a Spark standalone master and two
 * worker processes, s3proxy as the S3 endpoint), then the jobs jar submitted with spark-submit:
 * a synthetic corpus written to s3a://, ingested and split by the executors, then MESM trained by
 * parameter averaging on both executors. MESM rather than FE2E because its executors run all that
 * FE2E's run (the dense CNN stem, the encoders, DL4J's averaging) plus the sparse blocks and their
 * native kernel, loaded from the jobs jar in each executor; FE2E's averaging is the same training
 * master and is tested on local[2] (SparkTrainingTest, AlbertTrainingTest). The driver is killed after the first checkpoint and the
 * run resubmitted with --resume; that run loses a worker JVM in its last epoch: training must
 * finish the same epochs (or fail clearly and finish on --resume) and record every session. The
 * S3 secret key, planted per run, must appear in no object the jobs wrote and in no log.
 */
class StandaloneClusterIT {
  static final Path ROOT = Path.of(System.getProperty("mesm.root", "..")).toAbsolutePath().normalize();
  static final String RUN = "cluster-mesm";
  static final String MODELS = "s3a://mesm/demo/models/iemocap";
  static final int EPOCHS = 3;
  /** Enough for both executors to fit every averaging round and for the loss to fall, little more: each utterance costs ingest and split time. */
  static final int CORPUS_SIZE = 48;
  static final String SECRET = "cluster-secret-" + java.util.UUID.randomUUID();
  @TempDir static Path dir;
  static Map<String, String> env;
  static Configuration s3;

  @BeforeAll
  static void up() throws Exception {
    env = new HashMap<>();
    env.put("MESM_CLUSTER_DIR", dir.resolve("run").toString());
    env.put("MESM_SPARK_PORT", Integer.toString(freePort()));
    env.put("MESM_SPARK_UI_PORT", Integer.toString(freePortRun(3)));
    env.put("MESM_S3_PORT", Integer.toString(freePort()));
    env.put("MESM_WORKER_MEMORY", "3g");
    env.put("MESM_DRIVER_MEMORY", "3g");
    env.put("MESM_S3_SECRET_KEY", SECRET);
    env.put("MESM_JAVA_OPTS", ShortJvms.JAVA_OPTS);
    env.put("MESM_CLUSTER_JAVA_OPTS", ShortJvms.JAVA_OPTS);
    long started = System.nanoTime();
    Result r = cluster(List.of("up"), 240);
    elapsed("bin/cluster up", started);
    assertEquals(0, r.exit, "bin/cluster up:\n" + r.output);
    s3 = new Configuration();
    s3.set("fs.s3a.endpoint", "http://127.0.0.1:" + env.get("MESM_S3_PORT"));
    s3.set("fs.s3a.access.key", "mesm");
    s3.set("fs.s3a.secret.key", SECRET);
    s3.set("fs.s3a.path.style.access", "true");
    s3.set("fs.s3a.connection.ssl.enabled", "false");
    s3.set("fs.s3a.endpoint.region", "us-east-1");
    s3.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s3.set("fs.s3a.attempts.maximum", "3");
    s3.set("fs.s3a.retry.limit", "3");
  }

  @AfterAll
  static void down() throws Exception {
    if (env != null) cluster(List.of("down"), 60);
  }

  @Test
  void trainsOnBothExecutorsWithDataOnS3AndResumesAfterTheDriverIsKilled() throws Exception {
    submitOk(List.of("GenerateCorpusJob", "--config", "conf/demo.conf", "corpus.layouts=[iemocap]", "corpus.size=" + CORPUS_SIZE,
        "corpus.frame-rate=10"));
    submitOk(List.of("IngestJob", "--config", "conf/demo.conf", "dataset=iemocap"));
    submitOk(List.of("SplitJob", "--config", "conf/demo.conf", "dataset=iemocap"));

    boolean nativeKernel = NativeKernels.available();
    List<String> train = new ArrayList<>(List.of("TrainJob", "--config", "conf/demo.conf", "dataset=iemocap",
        "model.cnn.channel-divisor=16", "model.dim=32", "model.layers=1", "model.feed-forward=128",
        "train.learning-rate=1e-3", "train.max-epochs=" + EPOCHS, "train.patience=" + EPOCHS,
        "train.spark.averaging-frequency=2", "train.run-name=" + RUN, "model.type=mesm",
        // Where this build has the native sparse kernel, the executors must load it (an error otherwise).
        "model.mesm.kernels=" + (nativeKernel ? "native" : "auto")));
    String firstCheckpoint = MODELS + "/_checkpoints/" + RUN + "/epoch-0001/_manifest.json";
    long trainStarted = System.nanoTime();
    Process driver = start(submitCommand(train), dir.resolve("train-1.log"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!exists(firstCheckpoint)) {
      assertTrue(driver.isAlive(), "the first training run ended before its first checkpoint:\n" + log("train-1.log"));
      assertTrue(System.nanoTime() < deadline, "no checkpoint after 10 minutes:\n" + log("train-1.log"));
      Thread.sleep(500);
    }
    driver.destroyForcibly().waitFor(60, TimeUnit.SECONDS); // the driver JVM itself (spark-class execs it)
    elapsed("TrainJob to its first checkpoint", trainStarted);
    long resumeStarted = System.nanoTime();
    assertFalse(exists(MODELS + "/" + RUN + "/_manifest.json"), "killed before the model was published");

    // The resumed run loses a worker JVM (and its executor) in its last epoch: Spark re-runs the lost
    // tasks on the other executor and training completes, or the run fails clearly and --resume ends it.
    List<String> resume = new ArrayList<>(train);
    resume.add("--resume");
    Process resumedDriver = start(submitCommand(resume), dir.resolve("train-2.log"));
    String lastButOne = MODELS + "/_checkpoints/" + RUN + String.format("/epoch-%04d/_manifest.json", EPOCHS - 1);
    while (!exists(lastButOne) && resumedDriver.isAlive()) Thread.sleep(500);
    int killed = killWorker(2);
    assertTrue(resumedDriver.waitFor(15, TimeUnit.MINUTES), "the resumed run did not end:\n" + log("train-2.log"));
    elapsed("TrainJob --resume (a worker lost in its last epoch)", resumeStarted);
    // The whole log: a lost worker's stack traces can push these early lines out of the tail shown on failure.
    String resumed = Files.readString(dir.resolve("train-2.log"));
    assertTrue(resumed.contains("--resume: continuing from s3a://"), log("train-2.log"));
    if (nativeKernel) {
      assertTrue(resumed.contains("MESM's sparse convolutions in this JVM: native"), log("train-2.log"));
    }
    System.out.printf("worker 2 killed (%d processes) in epoch %d; the run ended with exit code %d%n", killed, EPOCHS,
        resumedDriver.exitValue());
    if (resumedDriver.exitValue() != 0) {
      Result again = submit(resume, 900);
      assertEquals(0, again.exit, "after a lost worker, --resume completes the run:\n" + log("train-2.log")
          + "\n---\n" + again.output);
    }

    JsonObject manifest = JsonParser.parseString(read(MODELS + "/" + RUN + "/_manifest.json")).getAsJsonObject();
    JsonObject training = manifest.getAsJsonObject("training");
    assertEquals(EPOCHS, training.get("epochs").getAsInt(), "same epochs as an uninterrupted run");
    JsonArray sessions = training.getAsJsonArray("sessions");
    assertTrue(sessions.size() >= 2, sessions.toString());
    for (int i = 1; i < sessions.size(); i++) {
      int resumedAt = sessions.get(i).getAsJsonObject().get("first_epoch").getAsInt();
      assertEquals(sessions.get(i - 1).getAsJsonObject().get("last_epoch").getAsInt() + 1, resumedAt, sessions.toString());
      assertEquals("spark", sessions.get(i).getAsJsonObject().get("mode").getAsString());
    }
    assertEquals(EPOCHS, sessions.get(sessions.size() - 1).getAsJsonObject().get("last_epoch").getAsInt());
    assertEquals(List.of("epoch-0002", "epoch-0003"), list(MODELS + "/_checkpoints/" + RUN), "checkpoint-keep = 2");

    // Both executors (one per worker) fitted in the averaging rounds.
    assertTrue(trainingExecutors().size() >= 2, "executors that ran averaging rounds: " + trainingExecutors());

    // The averaged model is better on validation than the same network at its initial parameters.
    ModelArtifact.Loaded trained = ModelArtifact.load(MODELS + "/" + RUN, s3);
    EmotionModel initial = EmotionModel.create(trained.manifest().spec(), trained.model().tokenizer(),
        trained.manifest().visualMean(), trained.manifest().visualStd());
    double before = validLoss(initial);
    double after = validLoss(trained.model());
    System.out.printf("validation loss: initial %.4f, trained on the cluster %.4f%n", before, after);
    assertTrue(after < before, "trained " + after + " vs initial " + before);

    // The secret key reached the jobs through the environment and their settings: no object they
    // wrote, no log of the driver, the workers or the executors holds it.
    Path run = dir.resolve("run");
    List<String> leaks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        boolean serverSide = f.startsWith(run.resolve("s3proxy.properties")) || f.startsWith(run.resolve("spark-home"));
        if (!serverSide && Files.readString(f, StandardCharsets.ISO_8859_1).contains(SECRET)) leaks.add(dir.relativize(f).toString());
      }
    }
    assertEquals(List.of(), leaks, "files holding the S3 secret key");
  }

  private static double validLoss(EmotionModel model) throws IOException {
    Predictions p = Predictions.of(model,
        ExampleSource.folder("s3a://mesm/demo/split/iemocap/utterances/split=valid", s3), 8);
    return WeightedBceWithLogits.ofProbabilities(p.probabilities(), p.labels(), model.spec().positiveWeights());
  }

  /** Executor ids of the tasks of DL4J's averaging rounds, from the Spark event logs. */
  private static Set<String> trainingExecutors() throws IOException {
    Set<String> executors = new HashSet<>();
    try (Stream<Path> logs = Files.list(dir.resolve("run").resolve("events"))) {
      for (Path log : logs.toList()) {
        Map<Integer, String> stages = new HashMap<>();
        List<String> lines = Files.readAllLines(log);
        for (int i = 0; i < lines.size(); i++) {
          JsonObject e;
          try {
            e = JsonParser.parseString(lines.get(i)).getAsJsonObject();
          } catch (com.google.gson.JsonParseException truncated) {
            // The killed driver's log (still .inprogress) may end in a half-written line, as Spark's
            // history server also accepts; a bad line anywhere else is an error.
            if (i == lines.size() - 1 && log.getFileName().toString().endsWith(".inprogress")) break;
            throw new IOException(log + ": line " + (i + 1) + " is not an event", truncated);
          }
          String event = e.get("Event").getAsString();
          if (event.equals("SparkListenerStageSubmitted")) {
            JsonObject s = e.getAsJsonObject("Stage Info");
            stages.put(s.get("Stage ID").getAsInt(), s.get("Stage Name").getAsString());
          } else if (event.equals("SparkListenerTaskEnd")
              && stages.getOrDefault(e.get("Stage ID").getAsInt(), "").contains("ParameterAveragingTrainingMaster")) {
            executors.add(e.getAsJsonObject("Task Info").get("Executor ID").getAsString());
          }
        }
      }
    }
    return executors;
  }

  /**
   * Kills worker {@code n}'s JVM and the executors it started (their working folders are under
   * its work-dir) with SIGKILL, as a machine failure would; returns how many processes died.
   */
  private static int killWorker(int n) throws IOException {
    Path run = dir.resolve("run");
    Path workDir = run.resolve("work-" + n);
    List<ProcessHandle> victims = new ArrayList<>();
    ProcessHandle.of(Long.parseLong(Files.readString(run.resolve("pids/worker-" + n + ".pid")).strip()))
        .ifPresent(victims::add);
    ProcessHandle.allProcesses().forEach(p -> {
      try {
        if (Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).startsWith(workDir)) victims.add(p);
      } catch (IOException | UnsupportedOperationException gone) {
        // exited meanwhile, or not ours to read
      }
    });
    victims.forEach(ProcessHandle::destroyForcibly);
    return victims.size();
  }

  private static boolean exists(String uri) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
    return p.getFileSystem(s3).exists(p);
  }

  private static String read(String uri) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
    try (InputStream in = p.getFileSystem(s3).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> list(String uri) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
    FileSystem fs = p.getFileSystem(s3);
    List<String> out = new ArrayList<>();
    for (FileStatus f : fs.listStatus(p)) out.add(f.getPath().getName());
    out.sort(null);
    return out;
  }

  private record Result(int exit, String output) {}

  private static void submitOk(List<String> args) throws Exception {
    long started = System.nanoTime();
    Result r = submit(args, 600);
    assertEquals(0, r.exit, args.get(0) + ":\n" + r.output);
    elapsed(args.get(0), started);
  }

  /** Each step's wall time in the test output: where this test's minutes go (docs/testing.md). */
  private static void elapsed(String step, long startedNanos) {
    System.out.printf("%s: %.1f s%n", step, (System.nanoTime() - startedNanos) / 1e9);
  }

  private static Result submit(List<String> args, int timeoutSeconds) throws Exception {
    return run(submitCommand(args), timeoutSeconds, args.get(0));
  }

  private static List<String> submitCommand(List<String> args) {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/cluster").toString(), "submit"));
    command.addAll(args);
    return command;
  }

  private static Result cluster(List<String> args, int timeoutSeconds) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/cluster").toString()));
    command.addAll(args);
    return run(command, timeoutSeconds, "cluster-" + args.get(0));
  }

  private static Result run(List<String> command, int timeoutSeconds, String name) throws Exception {
    Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
    Process p = start(command, log);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail(command + " did not finish in " + timeoutSeconds + " s:\n" + tail(Files.readString(log)));
    }
    return new Result(p.exitValue(), tail(Files.readString(log)));
  }

  private static Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder b = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    b.environment().putAll(env);
    return b.start();
  }

  /** The last 6,000 characters of a log, for failure messages. */
  private static String log(String name) throws IOException {
    return tail(Files.readString(dir.resolve(name)));
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The first of {@code n} consecutive free ports (the master's UI, then one per worker). */
  private static int freePortRun(int n) throws IOException {
    for (int base = 18080; base < 60000; base += n) {
      boolean free = true;
      for (int i = 0; i < n && free; i++) {
        try (ServerSocket s = new ServerSocket(base + i)) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) return base;
    }
    throw new IOException("no " + n + " consecutive free ports");
  }
}
