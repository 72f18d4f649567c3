package ai.mesm.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * What a saved model is, next to its weights (_manifest.json): how to rebuild and feed it, the
 * validation thresholds that turn its probabilities into labels, and where it came from.
 *
 * @param format          version of the folder's layout, checked on load: 3 = {@link ModelArtifact}'s own
 *                        array files of the reference-equal graph; 2 (the same files, encoders without
 *                        q/k/v biases) and 1 (DL4J's model.zip) are refused with a message
 * @param modelId         the run's name, e.g. "fe2e-tav"
 * @param classes         output order of the logits
 * @param thresholds      per class, tuned on the validation split with the kept (best) parameters
 * @param visualMean      crop normalisation the model was trained with (0–255 scale)
 * @param dataFingerprint SHA-256 of the split output's manifest the model was trained on
 * @param training        free-form record of the run: settings, history, best epoch, split location
 */
public record ModelManifest(int format, String modelId, String dataset, List<String> classes, ModelSpec spec,
                            double[] thresholds, float[] visualMean, float[] visualStd, String codeVersion,
                            String dataFingerprint, String created, JsonObject training) {
  public static final int FORMAT = 3;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  public ModelManifest {
    classes = List.copyOf(classes);
    if (thresholds.length != classes.size()) {
      throw new IllegalArgumentException(thresholds.length + " thresholds for " + classes.size() + " classes");
    }
  }

  public String json() {
    return GSON.toJson(this);
  }

  public static ModelManifest fromJson(String json) {
    return GSON.fromJson(json, ModelManifest.class);
  }
}
