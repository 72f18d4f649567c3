package ai.mesm.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One training epoch: mean training loss over its batches, the validation loss (same weighted BCE)
 * and the validation metrics at thresholds tuned on validation (what early stopping watches).
 *
 * @param validHeadline validation average Acc (IEMOCAP) or WAcc (CMU-MOSEI)
 */
public record EpochResult(int epoch, double trainLoss, double validLoss, double validF1, double validHeadline,
                          double seconds) {

  /** As model manifests and checkpoints record it. */
  public static JsonArray toJson(List<EpochResult> history) {
    JsonArray h = new JsonArray();
    for (EpochResult r : history) {
      JsonObject e = new JsonObject();
      e.addProperty("epoch", r.epoch());
      e.addProperty("train_loss", r.trainLoss());
      e.addProperty("valid_loss", r.validLoss());
      e.addProperty("valid_f1", r.validF1());
      e.addProperty("valid_headline", r.validHeadline());
      e.addProperty("seconds", r.seconds());
      h.add(e);
    }
    return h;
  }

  public static List<EpochResult> fromJson(JsonArray history) {
    List<EpochResult> out = new ArrayList<>();
    for (JsonElement x : history) {
      JsonObject e = x.getAsJsonObject();
      out.add(new EpochResult(e.get("epoch").getAsInt(), e.get("train_loss").getAsDouble(),
          e.get("valid_loss").getAsDouble(), e.get("valid_f1").getAsDouble(), e.get("valid_headline").getAsDouble(),
          e.get("seconds").getAsDouble()));
    }
    return out;
  }
}
