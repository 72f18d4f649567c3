package ai.mesm.jobs;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.model.SameDiffChatterFilter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(JobMain.Body body, String... args) {
    return JobMain.execute("TestJob", "does things", args, Set.of("resume"), body,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void badSettingStopsTheJobBeforeAnyWorkAndNamesTheKey() {
    AtomicBoolean ran = new AtomicBoolean();
    assertEquals(JobMain.BAD_USAGE, run((c, a) -> ran.set(true), "corpus.size=-3"));
    assertFalse(ran.get());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("mesm.corpus.size: must be >= 1, was -3"), err.toString());
  }

  @Test
  void unknownOptionIsRejected() {
    assertEquals(JobMain.BAD_USAGE, run((c, a) -> fail("must not run"), "--resum"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--resum: unknown option"));
  }

  @Test
  void helpAndPrintConfigDoNoWork() {
    assertEquals(JobMain.OK, run((c, a) -> fail("must not run"), "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: TestJob"));
    out.reset();
    assertEquals(JobMain.OK, run((c, a) -> fail("must not run"), "--print-config", "seed=99"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("seed=99") || out.toString(StandardCharsets.UTF_8).contains("seed = 99")
        || out.toString(StandardCharsets.UTF_8).contains("\"seed\" : 99") || out.toString(StandardCharsets.UTF_8).contains("seed : 99"),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void failureIsReportedWithItsCause() {
    assertEquals(JobMain.FAILED, run((c, a) -> {
      throw new IllegalStateException("disk full", new java.io.IOException("no space"));
    }));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("TestJob failed: java.lang.IllegalStateException: disk full"), text);
    assertTrue(text.contains("caused by: java.io.IOException: no space"), text);
  }

  @Test
  void flagsAndSettingsReachTheJob() {
    assertEquals(JobMain.OK, run((c, a) -> {
      assertTrue(a.has("resume"));
      assertEquals(5, c.getInt("mesm.seed"));
    }, "--resume", "mesm.seed=5"));
  }

  @Test
  void generateCorpusJobWritesTheCorpusAndPrintsASummary(@TempDir Path dir) throws Exception {
    String text = printedBy(() -> GenerateCorpusJob.main(new String[] {"--config", "../conf/demo.conf",
        "corpus.output=" + dir, "corpus.size=3", "corpus.layouts=[iemocap]", "corpus.max-utterance-s=1.5",
        "corpus.min-utterance-s=1.0"}));
    assertTrue(text.contains("iemocap: 1 dialogs, ") && text.contains(" (3 usable, "), text);
    assertTrue(Files.isRegularFile(dir.resolve("IEMOCAP_full_release/Session1/dialog/avi/DivX/Ses01F_impro01.avi")));
  }

  /**
   * The reproduce job loads the configuration once per dataset, so that conf/reproduce-small.conf's
   * paths naming ${mesm.dataset} become each dataset's folders; --plan trains nothing and says that
   * neither split exists yet.
   */
  @Test
  void reproduceJobPlansEachDatasetOnItsOwnFolders(@TempDir Path dir) throws Exception {
    String text = printedBy(() -> ReproduceJob.main(new String[] {"--config", "../conf/reproduce-small.conf", "--plan",
        "dataset=mosei", "reproduce.report=" + dir.resolve("report")}));
    assertTrue(text.contains("iemocap: no complete split at reproduce-output/split/iemocap (run SplitJob first); 11 runs"), text);
    assertTrue(text.contains("mosei: no complete split at reproduce-output/split/mosei (run SplitJob first); 12 runs"), text);
    assertTrue(text.contains("(nothing trained: --plan)"), text);
    assertFalse(Files.exists(dir.resolve("report")));
  }

  /** What a job's main printed on standard output. */
  private static String printedBy(Runnable main) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(stdout);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sameDiffChatterIsDroppedAndEverythingElseKept() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SameDiffChatterFilter f = new SameDiffChatterFilter(bytes);
    f.println("Added differentiated op multi_head_dot_product_attention");
    f.println("epoch 1/3  loss 0.5");
    f.println("Added two numbers"); // only the exact SameDiff prefix goes
    assertEquals("epoch 1/3  loss 0.5\nAdded two numbers\n", bytes.toString(StandardCharsets.UTF_8).replace("\r", ""));
  }
}
