package ai.mesm.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.stage.ReproduceEstimate;
import ai.mesm.stage.ReproducePlan;
import ai.mesm.stage.ReproduceRunner;
import ai.mesm.stage.TrainedRun;
import ai.mesm.testing.Slow;
import ai.mesm.testing.SplitCorpus;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproduce job's stage on both shared corpora (IEMOCAP and CMU-MOSEI through the real
 * ingest and split), at a tiny size: one epoch per run, the ablation and sweep cut to one or two
 * runs. A first pass is killed right after a run's checkpoint (before its model is published); the
 * second continues that run from its checkpoint, reuses the runs done before and writes every
 * table and the plot; a third trains nothing and reproduces the report's numbers.
 */
@Slow
class ReproduceTest {
  @TempDir static Path dir;

  /** The tiny experiment set: IEMOCAP has every experiment, CMU-MOSEI Table 4 only. */
  static List<MesmConfig> perDataset() {
    Map<String, String> o = new HashMap<>(Map.of("train.max-epochs", "1", "train.patience", "1", "train.batch-size", "32",
        "reproduce.report", dir.resolve("report").toString(), "reproduce.ablation.fe2e", "[t]",
        "reproduce.ablation.mesm", "[ta]", "reproduce.sweep-datasets", "[iemocap]", "reproduce.attention-datasets",
        "[iemocap]", "sweep.top-p", "[0.5, 1.0]", "reproduce.top-p.iemocap", "0.5"));
    o.put("paths.checkpoints", dir.resolve("checkpoints").toString());
    List<MesmConfig> configs = new ArrayList<>();
    for (String d : List.of("iemocap", "mosei")) {
      Map<String, String> s = LearningTest.shrunkSettings(dir.resolve(d), "t,a,v", o);
      s.put("paths.checkpoints", dir.resolve(d).resolve("checkpoints").toString());
      configs.add(d.equals("iemocap") ? SplitCorpus.config(s) : SplitCorpus.moseiConfig(s));
    }
    return configs;
  }

  @Test
  void killedRunResumesARerunTrainsNothingAndTheReportHasEveryTableAndThePlot() throws Exception {
    List<MesmConfig> configs = perDataset();
    MesmConfig base = configs.get(0);
    List<ReproduceRunner.DatasetPlan> plans = ReproduceRunner.plan(base, configs);
    assertEquals(List.of("fe2e-tav", "mesm-tav", "mesm-tav-scaled", "fe2e-t", "mesm-ta", "mesm-tav-p1"),
        plans.get(0).plan().runs().stream().map(ReproducePlan.Run::name).toList());
    assertEquals(List.of("fe2e-tav", "mesm-tav"), plans.get(1).plan().runs().stream().map(ReproducePlan.Run::name).toList());
    Configuration hadoop = new Configuration();
    String planned = ReproduceEstimate.table(plans, hadoop);
    System.out.print(planned);
    assertTrue(planned.contains("8 runs left to train"), planned);

    // Killed as a lost driver would be: after mesm-tav-scaled's first checkpoint, before its model.
    List<String> first = new ArrayList<>();
    Consumer<String> killing = line -> {
      first.add(line);
      System.out.println(line);
      if (line.startsWith("  checkpoint -> ") && line.contains("mesm-tav-scaled")) throw new Killed();
    };
    assertThrows(Killed.class, () -> ReproduceRunner.run(base, plans, hadoop, killing));
    assertEquals(List.of("fe2e-tav", "mesm-tav"), published(configs.get(0)), "published before the kill");
    String afterKill = ReproduceEstimate.table(plans, hadoop);
    assertTrue(afterKill.contains("interrupted"), afterKill);

    List<String> second = new ArrayList<>();
    ReproduceRunner.Result r = ReproduceRunner.run(base, plans, hadoop, line(second));
    assertEquals(2, count(second, "was trained with these settings on this split"), "fe2e-tav and mesm-tav reused");
    assertTrue(second.stream().anyMatch(l -> l.startsWith("--resume: continuing from") && l.contains("mesm-tav-scaled")),
        String.join("\n", second));
    Map<String, TrainedRun.Result> iemocap = r.runs().get(DatasetKind.IEMOCAP);
    assertTrue(iemocap.get("fe2e-tav").reused() && iemocap.get("mesm-tav").reused());
    assertFalse(iemocap.get("mesm-tav-scaled").reused() || iemocap.get("fe2e-t").reused());
    assertFalse(r.runs().get(DatasetKind.MOSEI).get("mesm-tav").reused());

    Path report = Path.of(r.reportLocation());
    String md = Files.readString(report.resolve(ReproduceRunner.REPORT));
    for (String heading : List.of("## IEMOCAP: Table 3", "## IEMOCAP: Table 5 (modality ablation)",
        "## IEMOCAP: Figure 5 (top-p sweep)", "## IEMOCAP: attention-gradient modes", "## CMU-MOSEI: Table 4", "## Runs")) {
      assertTrue(md.contains(heading), heading + " in\n" + md);
    }
    // The paper's own rows beside ours: Table 3's FE2E average (84.5 / 58.8), Table 4's MESM (66.8 / 46.8).
    assertTrue(md.contains("| FE2E, paper | 8.65 |"), md);
    assertTrue(md.contains(" 84.5 | 58.8 |"), md);
    assertTrue(md.contains(" 66.8 | 46.8 |"), md);
    assertTrue(md.contains("| anger WAcc | anger F1 |"), "Table 4 reports weighted accuracy:\n" + md);
    assertTrue(md.contains("| FE2E | T | ") && md.indexOf("| FE2E | T | ") < md.indexOf("| MESM | TAV | "), "Table 5: FE2E's rows, then MESM's\n" + md);
    BufferedImage png = ImageIO.read(report.resolve("iemocap_top_p_sweep.png").toFile());
    assertTrue(png.getWidth() > 300 && png.getHeight() > 200, "the sweep plot");
    List<String> perClass = Files.readAllLines(report.resolve("iemocap_per_class.csv"));
    assertEquals(1 + 6 * 7, perClass.size(), "six runs, six emotions and the average each");
    assertEquals(1 + 2 * 7, Files.readAllLines(report.resolve("mosei_per_class.csv")).size());
    JsonArray runs = JsonParser.parseString(Files.readString(report.resolve(ReproduceRunner.RUNS))).getAsJsonArray();
    assertEquals(8, runs.size());
    for (JsonElement e : runs) assertTrue(e.getAsJsonObject().get("sessions").getAsJsonArray().size() >= 1, e.toString());

    // A rerun: every run reused, nothing trained, the same numbers. A reused run reports the test
    // results its training saved: evaluating its model again gives the same.
    List<String> third = new ArrayList<>();
    ReproduceRunner.Result again = ReproduceRunner.run(base, plans, hadoop, line(third));
    assertEquals(8, count(third, "was trained with these settings on this split: its test results as training saved"),
        String.join("\n", third));
    TrainedRun.Result saved = again.runs().get(DatasetKind.IEMOCAP).get("mesm-tav-scaled");
    ReproducePlan.Run scaled = plans.get(0).plan().runs().get(2);
    TrainedRun.Result fresh = TrainedRun.evaluated(base.with(scaled.overrides()), scaled.name(), saved.modelLocation(),
        hadoop);
    assertEquals(saved.test(), fresh.test(), "saved and re-evaluated test results");
    assertEquals(saved.gflops(), fresh.gflops(), 1e-12);
    assertEquals(saved.activity().summary(), fresh.activity().summary());
    assertEquals(0, third.stream().filter(l -> l.startsWith("training ")).count(), "nothing trained");
    assertEquals(perClass, Files.readAllLines(Path.of(again.reportLocation()).resolve("iemocap_per_class.csv")));
    assertTrue(ReproduceEstimate.table(plans, hadoop).contains("0 runs left to train"));
  }

  private static List<String> published(MesmConfig config) throws Exception {
    Path models = Path.of(ai.mesm.io.PathSettings.of(config).models());
    List<String> names = new ArrayList<>();
    try (var s = Files.list(models)) {
      s.filter(p -> Files.exists(p.resolve("_manifest.json"))).forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    return names;
  }

  private static Consumer<String> line(List<String> into) {
    return l -> {
      into.add(l);
      System.out.println(l);
    };
  }

  private static long count(List<String> lines, String part) {
    return lines.stream().filter(l -> l.contains(part)).count();
  }

  private static final class Killed extends RuntimeException {}
}
