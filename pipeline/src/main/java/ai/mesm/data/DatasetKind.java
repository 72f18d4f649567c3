package ai.mesm.data;

import ai.mesm.config.ConfigKeys;
import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.util.List;
import java.util.Locale;

/** The two supported corpora and their class order, used wherever a label vector appears (docs/computation.md#classes). */
public enum DatasetKind {
  IEMOCAP(List.of("ang", "exc", "fru", "hap", "neu", "sad")),
  MOSEI(List.of("anger", "disgust", "fear", "happy", "sad", "surprise"));

  private final List<String> classes;

  DatasetKind(List<String> classes) {
    this.classes = classes;
  }

  public List<String> classes() {
    return classes;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.oneOf(ConfigKeys.DATASET, "iemocap", "mosei"));
  }

  /** The dataset a stage works on (mesm.dataset): the one reader of that key. */
  public static DatasetKind of(MesmConfig config) {
    return valueOf(config.getString(ConfigKeys.DATASET).toUpperCase(Locale.ROOT));
  }
}
