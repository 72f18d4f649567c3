package ai.mesm.stage;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.ExampleSource;
import ai.mesm.eval.Evaluation;
import ai.mesm.eval.ModelEvaluation;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.PathSettings;
import ai.mesm.io.TextFiles;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelManifest;
import ai.mesm.model.SiteActivity;
import ai.mesm.report.ResultsTable;
import ai.mesm.split.Split;
import ai.mesm.train.Checkpoints;
import ai.mesm.train.TrainingIdentity;
import ai.mesm.train.TrainingSettings;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One training run of an experiment set (the top-p sweep, the reproduce job): reused when a model
 * trained with the same {@link TrainingIdentity} on the same split is already published at its
 * location (nothing trained; its results are those its training saved), continued from its latest
 * checkpoint when it was interrupted, trained afresh otherwise.
 */
public final class TrainedRun {
  /**
   * @param run the run's name (its folder under paths.models)
   * @param label its row label in results tables, e.g. "MESM (T+A+V, p=0.7)"
   * @param gflops feature-extraction GFLOPs per test utterance, as measured on the test predictions
   * @param reused whether the model was already trained (true) or trained by this call
   */
  public record Result(String run, String label, String modelLocation, ModelManifest manifest, Evaluation test,
                       double gflops, SiteActivity activity, boolean reused) {}

  private TrainedRun() {}

  /**
   * @param run the experiment's settings with this run's overrides (train.run-name among them)
   * @param reuse whether an equal published model is reused; false retrains it
   * @param spark the job's session, asked for only when train.mode resolves to spark
   */
  public static Result trainOrReuse(MesmConfig run, String splitFingerprint, boolean reuse, Configuration hadoop,
                                    Consumer<String> log, Supplier<SparkSession> spark) throws IOException {
    String name = RunNameSettings.of(run).name();
    String location = PathSettings.of(run).modelLocation(name);
    boolean published = published(location, hadoop);
    if (reuse && published) {
      ModelManifest m = ModelManifest.fromJson(AtomicOutput.requireComplete(location, hadoop, "TrainJob"));
      if (sameIdentity(m, run, splitFingerprint)) {
        Result saved = saved(run, name, location, m, hadoop);
        log.accept(name + ": " + location + " was trained with these settings on this split: "
            + (saved != null ? "its test results as training saved them" : "evaluating it again"));
        return saved != null ? saved : evaluated(run, name, location, hadoop);
      }
    }
    // A published model with other settings is retrained from the start: its checkpoints belong to
    // those settings. Without one, checkpoints mean the run was interrupted: continue it.
    TrainRunner.Result r;
    if (!published && hasCheckpoints(run, name, hadoop)) {
      try {
        r = TrainRunner.run(run, hadoop, log, true, spark);
      } catch (Checkpoints.OtherSettingsException e) {
        log.accept(name + ": its checkpoints were written with other settings, training afresh (" + e.getMessage() + ")");
        r = TrainRunner.run(run, hadoop, log, false, spark);
      }
    } else {
      r = TrainRunner.run(run, hadoop, log, false, spark);
    }
    ResultsTable.Entry e = r.table().entries().get(0);
    return new Result(name, e.model(), r.modelLocation(), r.manifest(), r.test(), e.gflops(), e.activity(), false);
  }

  /** An already trained model evaluated like EvaluateJob on the split of these settings. */
  public static Result evaluated(MesmConfig settings, String name, String location, Configuration hadoop)
      throws IOException {
    ModelArtifact.Loaded loaded = ModelArtifact.load(location, hadoop);
    String splitRoot = PathSettings.of(settings).split();
    TrainingSettings training = TrainingSettings.of(settings);
    ModelEvaluation e = ModelEvaluation.of(loaded.model(), DatasetKind.of(settings),
        ExampleSource.folder(Split.VALID.folderIn(splitRoot), hadoop),
        ExampleSource.folder(Split.TEST.folderIn(splitRoot), hadoop), training.thresholdGrid(), training.batchSize());
    return new Result(name, TrainRunner.label(loaded.manifest().spec()), location, loaded.manifest(), e.test(),
        e.testPredictions().meanGflops(), e.testPredictions().activity(), true);
  }

  /**
   * The test results the training run saved with this model (paths.reports/&lt;run&gt;, published with
   * the same training record as the model's manifest), or null when they are missing or belong to
   * another training of the run. Evaluating again would give the same numbers (ModelEvaluation is
   * what training used) at the cost of inference over validation and test, for every run of a rerun.
   */
  private static Result saved(MesmConfig run, String name, String location, ModelManifest m, Configuration hadoop)
      throws IOException {
    String reports = PathSettings.of(run).reportsLocation(name);
    if (!published(reports, hadoop)) return null;
    JsonObject theirs = JsonParser.parseString(AtomicOutput.requireComplete(reports, hadoop, "TrainJob")).getAsJsonObject();
    if (!location.equals(theirs.has("model") ? theirs.get("model").getAsString() : null)
        || !m.training().equals(theirs.get("training"))) {
      return null;
    }
    String json = TextFiles.utf8(new Path(reports, ResultsTable.JSON).toString(), hadoop, MAX_RESULTS_BYTES);
    List<ResultsTable.Entry> entries = ResultsTable.fromJson(json);
    if (entries.size() != 1) return null;
    ResultsTable.Entry e = entries.get(0);
    return new Result(name, e.model(), location, m, e.evaluation(), e.gflops(), e.activity(), true);
  }

  /** A results.json holds one model's per-class rows: far below this, unless it is not one. */
  private static final long MAX_RESULTS_BYTES = 16L << 20;

  /** Where a run stands: what {@link #trainOrReuse} would do with it now. */
  public enum Status { COMPLETE, INTERRUPTED, TO_TRAIN }

  public static Status status(MesmConfig run, String splitFingerprint, Configuration hadoop) throws IOException {
    String name = RunNameSettings.of(run).name();
    String location = PathSettings.of(run).modelLocation(name);
    if (published(location, hadoop)) {
      ModelManifest m = ModelManifest.fromJson(AtomicOutput.requireComplete(location, hadoop, "TrainJob"));
      // A model with other settings is retrained from the start, whatever checkpoints it left.
      return sameIdentity(m, run, splitFingerprint) ? Status.COMPLETE : Status.TO_TRAIN;
    }
    return hasCheckpoints(run, name, hadoop) ? Status.INTERRUPTED : Status.TO_TRAIN;
  }

  private static boolean hasCheckpoints(MesmConfig run, String name, Configuration hadoop) throws IOException {
    Path checkpoints = new Path(PathSettings.of(run).checkpointsLocation(name));
    FileSystem fs = checkpoints.getFileSystem(hadoop);
    return fs.exists(checkpoints) && fs.listStatus(checkpoints).length > 0;
  }

  private static boolean published(String location, Configuration hadoop) throws IOException {
    Path manifest = new Path(location, AtomicOutput.MANIFEST);
    return manifest.getFileSystem(hadoop).exists(manifest);
  }

  private static boolean sameIdentity(ModelManifest m, MesmConfig run, String splitFingerprint) {
    if (m == null || m.format() != ModelManifest.FORMAT || m.training() == null || !m.training().has("config")) return false;
    JsonObject recorded = m.training().getAsJsonObject("config");
    return TrainingIdentity.ofRecorded(recorded).equals(TrainingIdentity.of(run))
        && splitFingerprint.equals(m.dataFingerprint());
  }
}
