package ai.mesm.model;

/** Input lacks a modality the model was trained on (e.g. no transcript for a T+A+V model). */
public final class MissingModalityException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MissingModalityException(String message) {
    super(message);
  }
}
