package ai.mesm.config;

/** One thing wrong with a configuration: the key it concerns and what is wrong with it. */
public record ConfigProblem(String key, String message) {
  @Override
  public String toString() {
    return key + ": " + message;
  }
}
