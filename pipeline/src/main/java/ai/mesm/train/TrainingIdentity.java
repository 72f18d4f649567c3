package ai.mesm.train;

import ai.mesm.config.MesmConfig;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;

/**
 * The settings that decide what a training run computes: the whole configuration without where
 * and how it executes, where its outputs go, and the settings of other jobs (a sweep's list of p,
 * the reproduce job's experiment set, scoring, attention maps, corpus generation). Two runs with
 * equal identities on the same split train the same model, so a checkpoint may be resumed and a
 * published model reused across them.
 */
public final class TrainingIdentity {
  /** Subtrees of the configuration outside a run's identity. */
  static final List<String> NOT_IDENTITY = List.of("mesm.spark", "mesm.paths", "mesm.train.spark", "mesm.train.mode",
      "mesm.train.checkpoint-every", "mesm.train.checkpoint-keep", "mesm.sweep", "mesm.reproduce", "mesm.score",
      "mesm.maps", "mesm.corpus", "mesm.eval.models");

  private TrainingIdentity() {}

  /** The identity of the run these settings describe. */
  public static JsonObject of(MesmConfig config) {
    return JsonParser.parseString(config.canonicalJsonWithout(NOT_IDENTITY)).getAsJsonObject();
  }

  /** The identity of a run from the full settings its manifest recorded (MesmConfig#canonicalJson). */
  public static JsonObject ofRecorded(JsonObject recordedConfig) {
    JsonObject copy = recordedConfig.deepCopy();
    for (String path : NOT_IDENTITY) {
      String[] keys = path.split("\\.");
      JsonObject parent = copy;
      for (int i = 0; i < keys.length - 1 && parent != null; i++) {
        JsonElement child = parent.get(keys[i]);
        parent = child != null && child.isJsonObject() ? child.getAsJsonObject() : null;
      }
      if (parent != null) parent.remove(keys[keys.length - 1]);
    }
    return copy;
  }
}
