package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import java.util.List;

/**
 * The top-p sweep (sweep.*): one MESM per value, and the FE2E it is drawn against.
 *
 * @param name the sweep's report name; blank = top-p-&lt;modalities&gt;
 * @param fe2eReference a trained FE2E model id, "train" to train one, or "none"
 * @param reuseTrained evaluate a model already trained with the same settings on the same split again
 */
public record SweepSettings(List<Double> topP, String name, String fe2eReference, boolean reuseTrained) {

  public static SweepSettings of(MesmConfig config) {
    return new SweepSettings(List.copyOf(config.getDoubleList(SWEEP_TOP_P)), config.getString(SWEEP_NAME),
        config.getString(SWEEP_FE2E_REFERENCE), config.getBoolean(SWEEP_REUSE_TRAINED));
  }
}
