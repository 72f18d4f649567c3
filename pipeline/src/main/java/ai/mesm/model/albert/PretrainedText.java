package ai.mesm.model.albert;

/**
 * The pretrained ALBERT text encoder of a model spec: the checkpoint's configuration (which decides
 * the graph), how much slower it learns, and where the weights came from (recorded in the model's
 * manifest; the trained model carries the fine-tuned weights, so the checkpoint is not read again).
 *
 * @param lrFactor      the encoder and the text head learn at learning-rate / lrFactor (paper: 10)
 * @param checkpoint    the folder it was read from, without user info
 * @param configJson    the checkpoint's config.json as it was
 * @param weightsSha256 SHA-256 of its model.safetensors
 */
public record PretrainedText(AlbertConfig config, double lrFactor, String checkpoint, String configJson,
                             String weightsSha256) {
  public PretrainedText {
    if (config == null) throw new IllegalArgumentException("an ALBERT text encoder needs its configuration");
    if (!(lrFactor >= 1)) throw new IllegalArgumentException("the text learning-rate factor must be >= 1, was " + lrFactor);
  }
}
