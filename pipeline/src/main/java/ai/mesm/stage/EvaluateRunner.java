package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.ExampleSource;
import ai.mesm.eval.Evaluation;
import ai.mesm.eval.ModelEvaluation;
import ai.mesm.eval.Predictions;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.OutputGuard;
import ai.mesm.io.PathSettings;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelManifest;
import ai.mesm.model.ModelSettings;
import ai.mesm.report.ResultsTable;
import ai.mesm.split.Split;
import ai.mesm.stage.TrainRunner;
import ai.mesm.train.TrainingSettings;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * The paper's evaluation of saved models on a split output (docs/computation.md#evaluation): per model, thresholds
 * tuned on the validation split, then applied to test; all models in one table (Tables 3–4)
 * written to paths.reports/evaluation as Markdown, CSV and JSON, with each model's test
 * predictions.
 */
public final class EvaluateRunner {
  public static final String FOLDER = "evaluation";

  private EvaluateRunner() {}

  public record Result(ResultsTable table, String reportsLocation) {}

  public static Result run(MesmConfig config, Configuration hadoop, Consumer<String> log) throws IOException {
    ModelSettings.useConfiguredKernels(config);
    DatasetKind dataset = DatasetKind.of(config);
    PathSettings paths = PathSettings.of(config);
    String splitRoot = paths.split();
    AtomicOutput.requireComplete(splitRoot, hadoop, "SplitJob");
    ExampleSource valid = ExampleSource.folder(Split.VALID.folderIn(splitRoot), hadoop);
    ExampleSource test = ExampleSource.folder(Split.TEST.folderIn(splitRoot), hadoop);
    TrainingSettings settings = TrainingSettings.of(config);
    double[] grid = settings.thresholdGrid();
    int batchSize = settings.batchSize();
    List<String> models = EvalSettings.of(config).models();
    if (models.isEmpty()) models = List.of(RunNameSettings.of(config).name());

    ResultsTable table = new ResultsTable();
    String reports = paths.reportsLocation(FOLDER);
    Map<String, String> inputs = new java.util.LinkedHashMap<>(Map.of(PATHS_SPLIT, splitRoot));
    for (String name : models) inputs.put(EVAL_MODELS + " (" + name + ")", paths.modelLocation(name));
    OutputGuard.requireApart(hadoop, PATHS_REPORTS, reports, inputs);
    AtomicOutput out = new AtomicOutput(reports, hadoop);
    JsonArray evaluated = new JsonArray();
    Set<String> labels = new HashSet<>();
    for (String name : models) {
      String location = paths.modelLocation(name);
      ModelArtifact.Loaded loaded = ModelArtifact.load(location, hadoop);
      ModelManifest m = loaded.manifest();
      if (!m.dataset().equals(dataset.configName())) {
        throw new IOException(location + ": model trained on " + m.dataset() + ", but dataset = " + dataset.configName());
      }
      ModelEvaluation scored = ModelEvaluation.of(loaded.model(), dataset, valid, test, grid, batchSize);
      double[] thresholds = scored.thresholds();
      if (!Arrays.equals(thresholds, m.thresholds())) {
        log.accept(m.modelId() + ": thresholds tuned on this validation split " + Arrays.toString(thresholds)
            + " differ from those saved with the model " + Arrays.toString(m.thresholds())
            + " (another split or settings than at training time)");
      }
      Predictions t = scored.testPredictions();
      Evaluation e = scored.test();
      String label = TrainRunner.label(m.spec());
      if (!labels.add(label)) label = label + " [" + m.modelId() + "]";
      table.add(label, e, t);
      out.writeStaged("predictions_test_" + m.modelId() + ".csv", t.csv(dataset.classes()));
      JsonObject o = new JsonObject();
      o.addProperty("model", location);
      o.addProperty("model_id", m.modelId());
      o.addProperty("label", label);
      evaluated.add(o);
      log.accept(String.format(java.util.Locale.ROOT, "%s: test average F1 %.4f, %s %.4f", label, e.average().f1(),
          e.headlineName(), e.headline(e.average())));
    }
    table.stage(out);
    JsonObject manifest = new JsonObject();
    manifest.addProperty("split", splitRoot);
    manifest.add("models", evaluated);
    out.publish(manifest.toString());
    return new Result(table, reports);
  }
}
