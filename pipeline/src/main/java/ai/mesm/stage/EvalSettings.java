package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import java.util.List;

/**
 * What EvaluateJob puts side by side (eval.models). The threshold grid it tunes on validation is
 * training's ({@link ai.mesm.train.TrainingSettings#thresholdGrid}).
 *
 * @param models run names under paths.models or model folder URIs, in table order; empty = the configured run
 */
public record EvalSettings(List<String> models) {

  public static EvalSettings of(MesmConfig config) {
    return new EvalSettings(List.copyOf(config.getStringList(EVAL_MODELS)));
  }
}
