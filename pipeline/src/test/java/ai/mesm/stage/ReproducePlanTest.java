package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.InvalidConfigException;
import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.stage.ReproducePlan.Experiment;
import ai.mesm.train.TrainingIdentity;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reproduce job's runs from its settings, their checks, and the training identity runs are reused by. */
class ReproducePlanTest {
  private static ReproducePlan plan(DatasetKind dataset, Map<String, String> overrides) {
    MesmConfig c = ConfigLoader.load(List.of(), overrides);
    return ReproducePlan.of(dataset, ReproduceSettings.of(c), SweepSettings.of(c).topP(), "reference");
  }

  private static List<String> names(List<ReproducePlan.Run> runs) {
    return runs.stream().map(ReproducePlan.Run::name).toList();
  }

  @Test
  void theDefaultsGiveThePapersRunsEachOnce() {
    ReproducePlan iemocap = plan(DatasetKind.IEMOCAP, Map.of());
    assertEquals(List.of("fe2e-tav", "mesm-tav", "mesm-tav-scaled", "fe2e-ta", "fe2e-tv", "fe2e-av", "fe2e-t", "fe2e-a",
        "fe2e-v", "mesm-ta", "mesm-tv"), names(iemocap.runs()));
    assertEquals(List.of("fe2e-tav", "fe2e-ta", "fe2e-tv", "fe2e-av", "fe2e-t", "fe2e-a", "fe2e-v", "mesm-tav", "mesm-ta",
        "mesm-tv"), names(iemocap.runsOf(Experiment.ABLATION)), "Table 5's rows: FE2E's, then MESM's");
    assertEquals(Set.of(Experiment.MAIN, Experiment.ABLATION, Experiment.ATTENTION), iemocap.runs().get(1).experiments());
    assertEquals(0.7, iemocap.runs().get(1).topP(), "IEMOCAP's p in Table 3");
    assertTrue(iemocap.runsOf(Experiment.SWEEP).isEmpty(), "Figure 5 is CMU-MOSEI's in the paper");

    ReproducePlan mosei = plan(DatasetKind.MOSEI, Map.of());
    assertEquals(List.of("fe2e-tav", "mesm-tav", "mesm-tav-scaled", "mesm-tav-p0.1", "mesm-tav-p0.2", "mesm-tav-p0.3",
        "mesm-tav-p0.4", "mesm-tav-p0.6", "mesm-tav-p0.7", "mesm-tav-p0.8", "mesm-tav-p0.9", "mesm-tav-p1"),
        names(mosei.runs()), "p = 0.5 is Table 4's mesm-tav, trained once");
    assertEquals(11, mosei.runsOf(Experiment.SWEEP).size(), "FE2E's reference line and ten values of p");
    ReproducePlan.Run scaled = mosei.runs().get(2);
    assertEquals("scaled", scaled.attentionGradient());
    assertEquals(Map.of("mesm.model.type", "mesm", "mesm.model.modalities", "[t, a, v]", "mesm.model.mesm.top-p", "0.5",
        "mesm.model.mesm.attention-gradient", "scaled", "mesm.train.run-name", "mesm-tav-scaled"), scaled.overrides());
  }

  @Test
  void theConfiguredAttentionModeGoesUnsuffixed() {
    MesmConfig c = ConfigLoader.load(List.of(), Map.of("reproduce.ablation.datasets", "[]"));
    ReproducePlan plan = ReproducePlan.of(DatasetKind.IEMOCAP, ReproduceSettings.of(c), List.of(), "scaled");
    assertEquals(List.of("fe2e-tav", "mesm-tav", "mesm-tav-reference"), names(plan.runs()));
  }

  @Test
  void badExperimentSettingsAreRefusedByKey() {
    for (Map.Entry<String, String> bad : List.of(Map.entry("reproduce.ablation.mesm", "[av]"),
        Map.entry("reproduce.ablation.fe2e", "[tx]"), Map.entry("reproduce.ablation.fe2e", "[ta, at]"),
        Map.entry("reproduce.datasets", "[iemocap, iemocap]"), Map.entry("reproduce.sweep-datasets", "[voxceleb]"),
        Map.entry("reproduce.top-p.mosei", "0"), Map.entry("reproduce.attention-gradients", "[learned]"))) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> ConfigLoader.load(List.of(), Map.of(bad.getKey(), bad.getValue())), bad.toString());
      assertTrue(e.getMessage().contains("mesm." + bad.getKey()), e.getMessage());
    }
  }

  @Test
  void twoDatasetsOnOneSplitFolderAreRefused() {
    MesmConfig iemocap = ConfigLoader.load(List.of(), Map.of("dataset", "iemocap"));
    MesmConfig mosei = ConfigLoader.load(List.of(), Map.of("dataset", "mosei"));
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> ReproduceRunner.plan(iemocap, List.of(iemocap, mosei)));
    assertTrue(e.getMessage().contains("mesm.paths.split") && e.getMessage().contains("${mesm.dataset}"), e.getMessage());
  }

  @Test
  void aRunsIdentityIgnoresWhereItRunsAndOtherJobsSettingsButNotWhatItComputes() {
    MesmConfig run = ConfigLoader.load(List.of(), Map.of());
    var recorded = JsonParser.parseString(run.canonicalJson()).getAsJsonObject();
    assertEquals(TrainingIdentity.of(run), TrainingIdentity.ofRecorded(recorded), "a manifest's record of the same run");
    for (Map.Entry<String, String> same : List.of(Map.entry("sweep.top-p", "[0.5]"), Map.entry("reproduce.top-p.mosei",
        "0.3"), Map.entry("paths.models", "elsewhere"), Map.entry("train.mode", "spark"), Map.entry("score.model", "x"))) {
      assertEquals(TrainingIdentity.of(run), TrainingIdentity.of(run.with(Map.ofEntries(same))), same.toString());
    }
    for (Map.Entry<String, String> other : List.of(Map.entry("model.dim", "32"), Map.entry("train.max-epochs", "3"),
        Map.entry("model.mesm.top-p", "0.3"), Map.entry("seed", "7"))) {
      assertNotEquals(TrainingIdentity.of(run), TrainingIdentity.of(run.with(Map.ofEntries(other))), other.toString());
    }
  }
}
