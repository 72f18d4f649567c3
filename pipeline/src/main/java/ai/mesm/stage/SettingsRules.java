package ai.mesm.stage;

import ai.mesm.config.Rule;
import ai.mesm.config.RuleSource;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.data.DatasetKind;
import ai.mesm.io.PathSettings;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.ModelSettings;
import ai.mesm.score.ScoreSettings;
import ai.mesm.split.SplitSettings;
import ai.mesm.train.CheckpointSettings;
import ai.mesm.train.DistributedSettings;
import ai.mesm.train.TrainingSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every settings record that declares range checks, for ai.mesm.config.ConfigRules to gather (it
 * finds this class through META-INF/services/ai.mesm.config.RuleSource, since the config layer may
 * not name the records). A new record with a {@code rules()} method is listed here.
 */
public final class SettingsRules implements RuleSource {
  @Override
  public Map<Class<?>, List<Rule>> rulesByReader() {
    Map<Class<?>, List<Rule>> out = new LinkedHashMap<>();
    out.put(DatasetKind.class, DatasetKind.rules());
    out.put(PathSettings.class, PathSettings.rules());
    out.put(CorpusSettings.class, CorpusSettings.rules());
    out.put(MediaSettings.class, MediaSettings.rules());
    out.put(VisualNormalisation.class, VisualNormalisation.rules());
    out.put(SplitSettings.class, SplitSettings.rules());
    out.put(ModelSettings.class, ModelSettings.rules());
    out.put(TextEncoderSettings.class, TextEncoderSettings.rules());
    out.put(TrainingSettings.class, TrainingSettings.rules());
    out.put(RunNameSettings.class, RunNameSettings.rules());
    out.put(DistributedSettings.class, DistributedSettings.rules());
    out.put(CheckpointSettings.class, CheckpointSettings.rules());
    out.put(SweepSettings.class, SweepSettings.rules());
    out.put(ReproduceSettings.class, ReproduceSettings.rules());
    out.put(ScoreSettings.class, ScoreSettings.rules());
    out.put(AttentionMapSettings.class, AttentionMapSettings.rules());
    return out;
  }
}
