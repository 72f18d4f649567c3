package ai.mesm.config;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.io.PathSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static MesmConfig load(Map<String, String> overrides, File... files) {
    return ConfigLoader.load(List.of(files), overrides);
  }

  private static InvalidConfigException rejected(Map<String, String> overrides, File... files) {
    return assertThrows(InvalidConfigException.class, () -> load(overrides, files));
  }

  @Test
  void defaultsCarryThePaperAndSpecValues() {
    MesmConfig c = MesmConfig.defaults();
    assertEquals(8, c.getInt(ConfigKeys.TRAIN_BATCH_SIZE));
    assertEquals(5e-5, c.getDouble(ConfigKeys.TRAIN_LEARNING_RATE));
    assertEquals(64, c.getInt(ConfigKeys.MODEL_DIM));
    assertEquals(4, c.getInt(ConfigKeys.MODEL_HEADS));
    assertEquals(4, c.getInt(ConfigKeys.MODEL_LAYERS));
    assertEquals(50, c.getInt(ConfigKeys.TEXT_MAX_LENGTH_FE2E));
    assertEquals(100, c.getInt(ConfigKeys.TEXT_MAX_LENGTH_MESM));
    assertEquals(40, c.getInt(ConfigKeys.TRAIN_MAX_EPOCHS));
    assertEquals(6, c.getInt(ConfigKeys.TRAIN_PATIENCE));
    assertEquals(500, c.getInt(ConfigKeys.MEDIA_FRAME_INTERVAL_MS));
    assertEquals(400, c.getInt(ConfigKeys.AUDIO_N_FFT));
    assertEquals(200, c.getInt(ConfigKeys.AUDIO_HOP_LENGTH));
    assertEquals(128, c.getInt(ConfigKeys.AUDIO_N_MELS));
    assertEquals(32, c.getInt(ConfigKeys.AUDIO_CHUNK_FRAMES));
    assertEquals(List.of(159.0, 111.0, 102.0), c.getDoubleList(ConfigKeys.VISUAL_MEAN));
    assertEquals(List.of("t", "a", "v"), c.getStringList(ConfigKeys.MODEL_MODALITIES));
  }

  @Test
  void everyShippedConfigFileIsValid() throws IOException {
    File conf = new File("../conf");
    File[] files = conf.listFiles((d, n) -> n.endsWith(".conf"));
    assertNotNull(files, "conf/ not found from " + new File(".").getAbsolutePath());
    assertTrue(Arrays.stream(files).map(File::getName).toList()
        .containsAll(List.of("demo.conf", "iemocap.conf", "mosei.conf", "cluster-local.conf", "cluster-cpu.conf",
            "cluster-gpu.conf")));
    for (File f : files) assertDoesNotThrow(() -> load(Map.of(), f), f.getName());
    assertEquals(0.5, load(Map.of(), new File(conf, "mosei.conf")).getDouble(ConfigKeys.MESM_TOP_P));
    assertEquals("1", load(Map.of(), new File(conf, "cluster-gpu.conf")).sparkConf().get("spark.task.resource.gpu.amount"));
    // The images (docker/) hold conf/ at /opt/mesm/conf: the GPU settings name the script there.
    String discovery = load(Map.of(), new File(conf, "cluster-gpu.conf")).sparkConf()
        .get("spark.executor.resource.gpu.discoveryScript");
    assertEquals("/opt/mesm/conf/gpu-discovery.sh", discovery);
    assertTrue(new File(conf, "gpu-discovery.sh").canExecute(), "conf/gpu-discovery.sh is missing or not executable");
    // The compose cluster keeps the standalone cluster's settings and changes only what containers need.
    Map<String, String> standalone = load(Map.of(), new File(conf, "cluster-standalone.conf")).sparkConf();
    Map<String, String> compose = load(Map.of(), new File(conf, "cluster-compose.conf")).sparkConf();
    assertEquals(standalone.get("spark.hadoop.fs.s3a.path.style.access"), compose.get("spark.hadoop.fs.s3a.path.style.access"));
    assertTrue(compose.get("spark.executor.extraJavaOptions").contains("-Dorg.bytedeco.javacpp.cachedir=/tmp/mesm-javacpp"),
        compose.get("spark.executor.extraJavaOptions"));
  }

  @Test
  void cpuExecutorsAndTestJvmsGetTheAllocatorSettingsOfLocalRuns() throws IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("GLIBC_TUNABLES:-([^}\"]+)")
        .matcher(Files.readString(Path.of("../bin/mesm")));
    assertTrue(m.find(), "bin/mesm sets no default GLIBC_TUNABLES");
    assertTrue(m.group(1).contains("glibc.malloc.mmap_max=0"), m.group(1));
    for (String name : List.of("cluster-cpu.conf", "cluster-standalone.conf")) {
      assertEquals(m.group(1), load(Map.of(), new File("../conf", name)).sparkConf().get("spark.executorEnv.GLIBC_TUNABLES"),
          name);
    }
    assertTrue(Files.readString(Path.of("../pom.xml")).contains("<native.allocator>" + m.group(1) + "</native.allocator>"),
        "the test JVMs (pom.xml, native.allocator) run with bin/mesm's allocator settings");
  }

  @Test
  void commandLineBeatsLaterFileBeatsEarlierFileBeatsDefaults() throws IOException {
    Path a = Files.writeString(dir.resolve("a.conf"), "mesm { seed = 1, corpus.size = 10, corpus.noise = 0.3 }");
    Path b = Files.writeString(dir.resolve("b.conf"), "mesm.corpus.size = 20");
    MesmConfig c = load(Map.of("corpus.noise", "0.5"), a.toFile(), b.toFile());
    assertEquals(1, c.getInt(ConfigKeys.SEED));
    assertEquals(20, c.getInt(ConfigKeys.CORPUS_SIZE));
    assertEquals(0.5, c.getDouble(ConfigKeys.CORPUS_NOISE));
    assertEquals(48, c.getInt(ConfigKeys.FACE_SIZE));
  }

  @Test
  void overridesAcceptFullKeysUrisListsAndQuotedSparkKeys() {
    MesmConfig c = load(Map.of(
        "mesm.paths.input", "s3a://bucket/raw//x",
        "model.modalities", "[a, v]",
        "spark.conf.\"spark.executor.memory\"", "4g",
        "corpus.face-photo", "\"/tmp/with space.png\""));
    assertEquals("s3a://bucket/raw//x", c.getString(ConfigKeys.PATHS_INPUT));
    assertEquals(List.of("a", "v"), c.getStringList(ConfigKeys.MODEL_MODALITIES));
    assertEquals("4g", c.sparkConf().get("spark.executor.memory"));
    assertEquals("/tmp/with space.png", c.getString(ConfigKeys.CORPUS_FACE_PHOTO));
  }

  @Test
  void unknownKeyIsRejectedWithItsNameAndASuggestion() {
    InvalidConfigException e = rejected(Map.of("media.frame-interval", "250"));
    assertEquals("mesm.media.frame-interval", e.problems().get(0).key());
    assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean mesm.media.frame-interval-ms?"), e.getMessage());
  }

  @Test
  void aRemovedKeyIsRefusedWithWhyItWent() throws IOException {
    InvalidConfigException e = rejected(Map.of("model.mesm.blocks", "3"));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("mesm.model.mesm.blocks", e.problems().get(0).key());
    assertTrue(e.problems().get(0).message().startsWith("was removed: MESM has the paper's 3 blocks"), e.getMessage());
    Path old = Files.writeString(dir.resolve("old.conf"), "mesm.model.mesm { blocks = 2 }\n");
    e = rejected(Map.of(), old.toFile());
    assertTrue(e.getMessage().contains("mesm.model.mesm.blocks: was removed: MESM has the paper's 3 blocks"), e.getMessage());
    assertTrue(e.getMessage().contains("old.conf"), e.getMessage());
  }

  @Test
  void theSparseKernelChoiceIsOneOfThree() {
    assertEquals("auto", MesmConfig.defaults().getString(ConfigKeys.MESM_KERNELS));
    assertEquals("java", load(Map.of("model.mesm.kernels", "java")).getString(ConfigKeys.MESM_KERNELS));
    assertEquals(ConfigKeys.MESM_KERNELS, rejected(Map.of("model.mesm.kernels", "fast")).problems().get(0).key());
  }

  @Test
  void unknownKeyInAFileNamesTheFile() throws IOException {
    Path a = Files.writeString(dir.resolve("typo.conf"), "mesm.train.epochs = 3\n");
    InvalidConfigException e = rejected(Map.of(), a.toFile());
    assertEquals("mesm.train.epochs", e.problems().get(0).key());
    assertTrue(e.getMessage().contains("typo.conf"), e.getMessage());
  }

  @Test
  void wrongTypesAreRejected() {
    assertEquals("mesm.corpus.size", rejected(Map.of("corpus.size", "many")).problems().get(0).key());
    assertEquals("mesm.corpus.size", rejected(Map.of("corpus.size", "2.5")).problems().get(0).key());
    assertEquals("mesm.model.positional-encoding",
        rejected(Map.of("model.positional-encoding", "sometimes")).problems().get(0).key());
    assertEquals("mesm.media.visual-normalisation.mean",
        rejected(Map.of("media.visual-normalisation.mean", "[a, b, c]")).problems().get(0).key());
    InvalidConfigException objectForLeaf = rejected(Map.of("media.face", "3"));
    assertTrue(objectForLeaf.problems().stream().anyMatch(p -> p.key().equals("mesm.media.face")), objectForLeaf.getMessage());
  }

  @Test
  void outOfRangeValuesAreRejected() {
    assertEquals("mesm.model.mesm.top-p", rejected(Map.of("model.mesm.top-p", "1.5")).problems().get(0).key());
    assertEquals("mesm.model.mesm.top-p", rejected(Map.of("model.mesm.top-p", "0")).problems().get(0).key());
    assertEquals("mesm.dataset", rejected(Map.of("dataset", "mosi")).problems().get(0).key());
    assertEquals("mesm.model.modalities", rejected(Map.of("model.modalities", "[t, x]")).problems().get(0).key());
    assertEquals("mesm.model.modalities", rejected(Map.of("model.modalities", "[]")).problems().get(0).key());
    assertEquals("mesm.split.test-fraction", rejected(Map.of("split.train-fraction", "0.8")).problems().get(0).key());
    assertEquals("mesm.corpus.iemocap.frame-width", rejected(Map.of("corpus.iemocap.frame-width", "385")).problems().get(0).key());
  }

  @Test
  void theTextFileSizeCapIsAHoconSizeWithinRange() {
    assertEquals(64L << 20, MesmConfig.defaults().raw().getBytes(ConfigKeys.MEDIA_MAX_TEXT_FILE_SIZE));
    assertEquals(512L << 10, load(Map.of("media.max-text-file-size", "512K")).raw()
        .getBytes(ConfigKeys.MEDIA_MAX_TEXT_FILE_SIZE));
    for (String bad : List.of("2G", "100", "lots")) {
      InvalidConfigException e = rejected(Map.of("media.max-text-file-size", bad));
      assertEquals(ConfigKeys.MEDIA_MAX_TEXT_FILE_SIZE, e.problems().get(0).key(), bad);
    }
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    InvalidConfigException e = rejected(Map.of("corpus.noise", "2", "train.batch-size", "0"));
    assertEquals(Set.of("mesm.corpus.noise", "mesm.train.batch-size"),
        Set.copyOf(e.problems().stream().map(ConfigProblem::key).toList()));
  }

  @Test
  void missingOrUnparsableFilesAreClearErrors() throws IOException {
    assertTrue(rejected(Map.of(), dir.resolve("absent.conf").toFile()).getMessage().contains("absent.conf"));
    Path broken = Files.writeString(dir.resolve("broken.conf"), "mesm { seed = ");
    assertTrue(rejected(Map.of(), broken.toFile()).getMessage().contains("broken.conf"));
  }

  @Test
  void jobArgumentsParseFilesFlagsAndOverrides() {
    JobArguments a = JobArguments.parse(new String[] {"--config", "x.conf", "--resume", "seed=3", "--config=y.conf"},
        Set.of("resume"));
    assertEquals(List.of(new File("x.conf"), new File("y.conf")), a.configFiles());
    assertTrue(a.has("resume"));
    assertEquals(Map.of("seed", "3"), a.overrides());
    assertEquals("--resum", assertThrows(InvalidConfigException.class,
        () -> JobArguments.parse(new String[] {"--resum"}, Set.of("resume"))).problems().get(0).key());
    assertThrows(InvalidConfigException.class, () -> JobArguments.parse(new String[] {"stray"}, Set.of()));
  }

  @Test
  void configSurvivesJavaSerializationForExecutors() throws Exception {
    MesmConfig c = load(Map.of("seed", "77", "spark.conf.\"spark.x\"", "y"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    MesmConfig back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (MesmConfig) in.readObject();
    }
    assertEquals(77, back.getInt(ConfigKeys.SEED));
    assertEquals("y", back.sparkConf().get("spark.x"));
    assertEquals(c.canonicalJson(), back.canonicalJson());
  }

  @Test
  void secretsAtAnyDepthNeverReachWhatIsPrintedOrRecorded() throws IOException {
    Path file = dir.resolve("secrets.conf");
    Files.writeString(file, String.join("\n",
        "mesm.spark.conf {",
        "  \"spark.hadoop.fs.s3a.access.key\" = PLANTED-ACCESS-1",
        "  \"spark.hadoop.fs.s3a.secret.key\" = \"PLANTED-SECRET-2\"",
        "  \"spark.hadoop.fs.s3a.session.token\" = \"PLANTED-TOKEN-3\"",
        "  \"spark.hadoop.fs.s3a.bucket.x.secret.key\" = \"PLANTED-SECRET-4\"",
        "  \"spark.jdbc.password\" = 12345678901",
        "  \"spark.ssl.keyStorePassword\" = \"PLANTED-PASSWORD-5\"",
        "  \"spark.hadoop.fs.azure.account.oauth2.client.credential\" = \"PLANTED-CREDENTIAL-6\"",
        "  \"spark.executor.memory\" = 3g",
        "}",
        "mesm.paths.input = \"s3a://AKIAPLANTED7:PLANTED-URI-SECRET-8@bucket/corpus\"",
        "mesm.eval.models = [\"s3a://user:PLANTED-URI-SECRET-9@bucket/models/a\", fe2e-tav]", ""));
    MesmConfig c = load(Map.of(), file.toFile());
    for (String shown : List.of(c.render(), c.canonicalJson(), c.canonicalJsonWithout(List.of("mesm.train")))) {
      for (String planted : List.of("PLANTED", "12345678901")) assertFalse(shown.contains(planted), shown);
      assertTrue(shown.contains(Secrets.REDACTED), shown);
      assertTrue(shown.contains("3g") && shown.contains("bucket/corpus") && shown.contains("fe2e-tav"),
          "only secrets are replaced: " + shown);
    }
    // The job itself still reads them.
    assertEquals("PLANTED-SECRET-2", c.sparkConf().get("spark.hadoop.fs.s3a.secret.key"));
    assertEquals("s3a://AKIAPLANTED7:PLANTED-URI-SECRET-8@bucket/corpus", c.getString(ConfigKeys.PATHS_INPUT));

    InvalidConfigException e = rejected(Map.of("spark.conf.\"fs.s3a.secret.key\"", "{PLANTED-UNPARSABLE: [}"));
    assertFalse(e.getMessage().contains("PLANTED"), e.getMessage());
  }

  @Test
  void namesThatBecomeFoldersMustBePlain() {
    for (String bad : List.of("..", ".", ".hidden", "a/b", "-x", "a b")) {
      InvalidConfigException e = rejected(Map.of("train.run-name", "\"" + bad + "\""));
      assertEquals(ConfigKeys.TRAIN_RUN_NAME, e.problems().get(0).key(), bad);
      assertTrue(e.getMessage().contains("plain name"), e.getMessage());
    }
    assertEquals(ConfigKeys.SPLIT_FILE_NAMES,
        rejected(Map.of("split.file-names", "[train.txt, valid.txt, \"../test.txt\"]")).problems().get(0).key());
    MesmConfig ok = load(Map.of("train.run-name", "fe2e-tav.v2", "paths.models", "/m"));
    assertEquals("/m/fe2e-tav.v2", PathSettings.of(ok).modelLocation("fe2e-tav.v2"));
    assertEquals("s3a://b/elsewhere", PathSettings.of(ok).modelLocation("s3a://b/elsewhere"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PathSettings.of(ok).modelLocation(".."));
    assertTrue(e.getMessage().contains("'..'"), e.getMessage());
  }

  @Test
  void emptyOrMalformedLocationsAreNamedByKey() {
    InvalidConfigException e = rejected(Map.of("paths.ingest", ""));
    assertEquals(ConfigKeys.PATHS_INGEST, e.problems().get(0).key(), e.getMessage());
    assertTrue(e.getMessage().contains("was empty"), e.getMessage());
    assertEquals(ConfigKeys.PATHS_SCORES, rejected(Map.of("paths.scores", "a:b")).problems().get(0).key());
    load(Map.of("paths.checkpoints", "", "score.input", "")); // optional ones may stay empty
  }
}
