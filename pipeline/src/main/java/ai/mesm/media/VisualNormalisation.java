package ai.mesm.media;

import static ai.mesm.config.ConfigKeys.VISUAL_MEAN;
import static ai.mesm.config.ConfigKeys.VISUAL_STD;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.util.List;

/**
 * Per-channel (R, G, B) mean and std, on the 0–255 scale, that face crops are normalised with at
 * model input (mesm.media.visual-normalisation). The numbers live in reference.conf only: code that
 * needs the reference's values without a configuration of its own (benchmarks, tests) takes
 * {@link #defaults()}.
 */
public record VisualNormalisation(float[] mean, float[] std) {
  public VisualNormalisation {
    mean = mean.clone();
    std = std.clone();
  }

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.listOfPositive(VISUAL_MEAN, 3, false),
        Rules.listOfPositive(VISUAL_STD, 3, true));
  }

  public static VisualNormalisation from(MesmConfig config) {
    return new VisualNormalisation(floats(config.getDoubleList(VISUAL_MEAN)), floats(config.getDoubleList(VISUAL_STD)));
  }

  /** reference.conf's values (the reference's). */
  public static VisualNormalisation defaults() {
    return Defaults.VALUE;
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  private static float[] floats(List<Double> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) out[i] = values.get(i).floatValue();
    return out;
  }

  /** Loaded on first use: reading and validating reference.conf is not free. */
  private static final class Defaults {
    static final VisualNormalisation VALUE = from(MesmConfig.defaults());
  }
}
