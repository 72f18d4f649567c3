package ai.mesm.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** The three input modalities, in the order the model's inputs take them (paper Table 5: T, A, V). */
public enum Modality {
  TEXT("t", "text"),
  AUDIO("a", "audio"),
  VISUAL("v", "visual");

  private final String code;
  private final String inputName;

  Modality(String code, String inputName) {
    this.code = code;
    this.inputName = inputName;
  }

  /** The letter used in configuration and result tables: t, a, v. */
  public String code() {
    return code;
  }

  /** The name of the graph input (and prefix of its layers). */
  public String inputName() {
    return inputName;
  }

  public static Modality fromInputName(String name) {
    for (Modality m : values()) if (m.inputName.equals(name)) return m;
    throw new IllegalArgumentException("unknown modality input '" + name + "'");
  }

  public static Modality fromCode(String code) {
    for (Modality m : values()) if (m.code.equals(code.toLowerCase(Locale.ROOT).trim())) return m;
    throw new IllegalArgumentException("unknown modality '" + code + "' (use t, a or v)");
  }

  /** The configured subset in canonical T, A, V order, duplicates removed. */
  public static List<Modality> parse(List<String> codes) {
    if (codes.isEmpty()) throw new IllegalArgumentException("model.modalities is empty: name at least one of t, a, v");
    EnumSet<Modality> set = EnumSet.noneOf(Modality.class);
    for (String c : codes) set.add(fromCode(c));
    return new ArrayList<>(set);
  }

  /** "T+A+V" style label for tables. */
  public static String label(List<Modality> modalities) {
    return String.join("+", modalities.stream().map(m -> m.code.toUpperCase(Locale.ROOT)).toList());
  }
}
