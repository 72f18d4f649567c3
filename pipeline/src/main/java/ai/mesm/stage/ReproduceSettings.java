package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.data.DatasetKind;
import ai.mesm.model.Modality;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The reproduce job's experiment set (reproduce.*).
 *
 * @param datasets the datasets reproduced; empty = the configured one
 * @param fe2eAblation FE2E's Table 5 modality subsets besides T+A+V
 * @param mesmAblation MESM's Table 5 modality subsets besides T+A+V
 * @param report the report folder; blank = paths.reports/reproduce
 */
public record ReproduceSettings(List<DatasetKind> datasets, double iemocapTopP, double moseiTopP,
                                List<DatasetKind> ablationDatasets, List<List<Modality>> fe2eAblation,
                                List<List<Modality>> mesmAblation, List<DatasetKind> sweepDatasets,
                                List<String> attentionGradients, List<DatasetKind> attentionDatasets, String report) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        datasetList(REPRODUCE_DATASETS),
        datasetList(REPRODUCE_ABLATION_DATASETS),
        datasetList(REPRODUCE_SWEEP_DATASETS),
        datasetList(REPRODUCE_ATTENTION_DATASETS),
        topP(REPRODUCE_TOP_P_IEMOCAP),
        topP(REPRODUCE_TOP_P_MOSEI),
        subsets(REPRODUCE_ABLATION_FE2E, false),
        subsets(REPRODUCE_ABLATION_MESM, true),
        Rules.subsetOf(REPRODUCE_ATTENTION_GRADIENTS, "reference", "scaled"),
        Rules.location(REPRODUCE_REPORT, true));
  }

  public static ReproduceSettings of(MesmConfig config) {
    return new ReproduceSettings(datasets(config.getStringList(REPRODUCE_DATASETS)),
        config.getDouble(REPRODUCE_TOP_P_IEMOCAP), config.getDouble(REPRODUCE_TOP_P_MOSEI),
        datasets(config.getStringList(REPRODUCE_ABLATION_DATASETS)), subsets(config.getStringList(REPRODUCE_ABLATION_FE2E)),
        subsets(config.getStringList(REPRODUCE_ABLATION_MESM)), datasets(config.getStringList(REPRODUCE_SWEEP_DATASETS)),
        List.copyOf(config.getStringList(REPRODUCE_ATTENTION_GRADIENTS)),
        datasets(config.getStringList(REPRODUCE_ATTENTION_DATASETS)), config.getString(REPRODUCE_REPORT));
  }

  /** MESM's p in the paper's tables for this dataset (Table 6). */
  public double topP(DatasetKind dataset) {
    return dataset == DatasetKind.IEMOCAP ? iemocapTopP : moseiTopP;
  }

  /** "ta" → [TEXT, AUDIO]: how the ablation lists spell a modality subset. */
  static List<Modality> subset(String code) {
    if (code.isEmpty()) throw new IllegalArgumentException("an empty modality subset");
    EnumSet<Modality> set = EnumSet.noneOf(Modality.class);
    for (char c : code.toCharArray()) {
      if (!set.add(Modality.fromCode(String.valueOf(c)))) throw new IllegalArgumentException("'" + code + "' names " + c + " twice");
    }
    return new ArrayList<>(set);
  }

  private static List<List<Modality>> subsets(List<String> codes) {
    return codes.stream().map(ReproduceSettings::subset).toList();
  }

  private static List<DatasetKind> datasets(List<String> names) {
    return names.stream().map(n -> DatasetKind.valueOf(n.toUpperCase(Locale.ROOT))).toList();
  }

  private static Rule topP(String key) {
    return new Rule(key, c -> c.getDouble(key) > 0 && c.getDouble(key) <= 1 ? Optional.empty()
        : Optional.of("must be in (0, 1], was " + c.getDouble(key)));
  }

  private static Rule datasetList(String key) {
    return new Rule(key, c -> {
      List<String> names = c.getStringList(key);
      Set<String> seen = new HashSet<>();
      for (String n : names) {
        if (!n.equals("iemocap") && !n.equals("mosei")) return Optional.of("unknown dataset \"" + n + "\" (iemocap, mosei)");
        if (!seen.add(n)) return Optional.of("\"" + n + "\" is listed twice");
      }
      return Optional.empty();
    });
  }

  /** Modality subsets such as [ta, tv, t]: each letter one of t, a, v once; MESM's hold t. */
  private static Rule subsets(String key, boolean needText) {
    return new Rule(key, c -> {
      Set<Set<Modality>> seen = new HashSet<>();
      for (String code : c.getStringList(key)) {
        List<Modality> s;
        try {
          s = subset(code);
        } catch (IllegalArgumentException e) {
          return Optional.of("\"" + code + "\": " + e.getMessage() + " (write subsets as letters of t, a, v, e.g. ta)");
        }
        if (needText && !s.contains(Modality.TEXT)) {
          return Optional.of("\"" + code + "\" has no t: MESM's sparse attention queries with the text");
        }
        if (!seen.add(Set.copyOf(s))) return Optional.of("\"" + code + "\" is listed twice");
      }
      return Optional.empty();
    });
  }
}
