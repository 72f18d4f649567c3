package ai.mesm.data;

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

  public static DatasetKind fromConfig(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
