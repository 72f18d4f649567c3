package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.data.DatasetKind;
import ai.mesm.model.Modality;
import ai.mesm.report.SweepPoint;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The training runs of the paper's experiment set on one dataset, each named once: FE2E and MESM
 * on T+A+V (Tables 3–4), the modality ablation (Table 5), MESM at every top-p of the sweep
 * (Figure 5) and MESM with each attention-gradient mode. A run that serves several experiments
 * (MESM T+A+V at the dataset's p with the configured attention mode is in all four) is trained once.
 */
public final class ReproducePlan {
  /** What a run is trained for: the tables and plots of the report it appears in. */
  public enum Experiment { MAIN, ABLATION, SWEEP, ATTENTION }

  /**
   * One training run.
   *
   * @param name its run name (folder under paths.models): fe2e-ta, mesm-tav, mesm-tav-p0.3, mesm-tav-scaled
   * @param topP MESM's p (also recorded for FE2E, where it changes nothing)
   */
  public record Run(DatasetKind dataset, String name, String type, List<Modality> modalities, double topP,
                    String attentionGradient, Set<Experiment> experiments) {
    public Run {
      modalities = List.copyOf(modalities);
      experiments = Set.copyOf(experiments);
    }

    public boolean isMesm() {
      return type.equals("mesm");
    }

    /** The settings that make the experiment's configuration this run's. */
    public Map<String, String> overrides() {
      Map<String, String> o = new LinkedHashMap<>();
      o.put(MODEL_TYPE, type);
      o.put(MODEL_MODALITIES, modalities.stream().map(Modality::code).collect(Collectors.joining(", ", "[", "]")));
      o.put(MESM_TOP_P, SweepPoint.format(topP));
      o.put(MESM_ATTENTION_GRADIENT, attentionGradient);
      o.put(TRAIN_RUN_NAME, name);
      return o;
    }
  }

  private final DatasetKind dataset;
  private final double mainTopP;
  private final String configuredAttention;
  private final Map<String, Run> runs = new LinkedHashMap<>();

  private ReproducePlan(DatasetKind dataset, double mainTopP, String configuredAttention) {
    this.dataset = dataset;
    this.mainTopP = mainTopP;
    this.configuredAttention = configuredAttention;
  }

  /**
   * @param sweepTopP sweep.top-p
   * @param configuredAttention model.mesm.attention-gradient: the mode whose runs go unsuffixed
   */
  public static ReproducePlan of(DatasetKind dataset, ReproduceSettings settings, List<Double> sweepTopP,
                                 String configuredAttention) {
    double p = settings.topP(dataset);
    ReproducePlan plan = new ReproducePlan(dataset, p, configuredAttention);
    List<Modality> all = List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL);
    plan.add("fe2e", all, p, configuredAttention, Experiment.MAIN);
    plan.add("mesm", all, p, configuredAttention, Experiment.MAIN);
    if (settings.attentionDatasets().contains(dataset)) {
      for (String mode : settings.attentionGradients()) plan.add("mesm", all, p, mode, Experiment.ATTENTION);
    }
    if (settings.ablationDatasets().contains(dataset)) {
      plan.add("fe2e", all, p, configuredAttention, Experiment.ABLATION);
      for (List<Modality> m : settings.fe2eAblation()) plan.add("fe2e", m, p, configuredAttention, Experiment.ABLATION);
      plan.add("mesm", all, p, configuredAttention, Experiment.ABLATION);
      for (List<Modality> m : settings.mesmAblation()) plan.add("mesm", m, p, configuredAttention, Experiment.ABLATION);
    }
    if (settings.sweepDatasets().contains(dataset)) {
      plan.add("fe2e", all, p, configuredAttention, Experiment.SWEEP);
      for (double q : sweepTopP) plan.add("mesm", all, q, configuredAttention, Experiment.SWEEP);
    }
    return plan;
  }

  public DatasetKind dataset() {
    return dataset;
  }

  /** In the order they train: Tables 3–4 first, so the headline results come earliest. */
  public List<Run> runs() {
    return List.copyOf(runs.values());
  }

  /** The runs of one experiment, FE2E's first (the paper's row order), each type in the order planned. */
  public List<Run> runsOf(Experiment experiment) {
    return runs.values().stream().filter(r -> r.experiments().contains(experiment))
        .sorted(java.util.Comparator.comparing(Run::isMesm)).toList();
  }

  private void add(String type, List<Modality> modalities, double topP, String attention, Experiment experiment) {
    String name = name(type, modalities, topP, attention);
    Set<Experiment> experiments = EnumSet.of(experiment);
    if (runs.containsKey(name)) experiments.addAll(runs.get(name).experiments());
    runs.put(name, new Run(dataset, name, type, modalities, topP, attention, experiments));
  }

  private String name(String type, List<Modality> modalities, double topP, String attention) {
    String name = type + "-" + RunNameSettings.modalityCode(modalities);
    if (type.equals("fe2e")) return name;
    if (!attention.equals(configuredAttention)) name += "-" + attention;
    if (topP != mainTopP) name += "-p" + SweepPoint.format(topP);
    return name;
  }
}
