package ai.mesm.model;

/** Sizes read from files (manifests, checkpoint configurations) decide how much memory a graph takes: absurd ones are refused first. */
public final class Bounds {
  private Bounds() {}

  /** @throws IllegalArgumentException naming the field when {@code value} is outside [min, max] */
  public static void within(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
    }
  }
}
