package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Secrets;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.ExampleReader;
import ai.mesm.data.ExampleCache;
import ai.mesm.data.ExampleSource;
import ai.mesm.eval.Evaluation;
import ai.mesm.eval.ModelEvaluation;
import ai.mesm.eval.Predictions;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.OutputGuard;
import ai.mesm.io.PathSettings;
import ai.mesm.io.Provenance;
import ai.mesm.io.Sha256;
import ai.mesm.io.SparkSettings;
import ai.mesm.io.Workspace;
import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.report.SweepPoint;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelManifest;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.albert.AlbertCheckpoint;
import ai.mesm.model.albert.AlbertConfig;
import ai.mesm.model.albert.AlbertWeights;
import ai.mesm.model.albert.PretrainedText;
import ai.mesm.model.sparse.NativeKernels;
import ai.mesm.model.text.TextTokenizer;
import ai.mesm.model.text.WordPieceTrainer;
import ai.mesm.report.LearningCurves;
import ai.mesm.report.ResultsTable;
import ai.mesm.split.Split;
import ai.mesm.train.Checkpoints;
import ai.mesm.train.DistributedSettings;
import ai.mesm.train.EpochResult;
import ai.mesm.train.EpochTrainer;
import ai.mesm.train.LocalTrainer;
import ai.mesm.train.ModelFit;
import ai.mesm.train.SparkEpochTrainer;
import ai.mesm.train.TrainingLoop;
import ai.mesm.train.TrainingSettings;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The training stage: reads a complete split output, learns the tokenizer from the train
 * transcripts, trains in this JVM ({@link LocalTrainer}) or by parameter averaging over Spark
 * executors ({@link SparkEpochTrainer}) under the same {@link TrainingLoop} (validation, early
 * stopping, checkpoints, resume), tunes the thresholds on validation with the best parameters,
 * scores test with them (docs/computation.md#evaluation), and publishes the model folder and the reports (results
 * table, learning curves, history, test predictions).
 */
public final class TrainRunner {
  public static final String HISTORY = "history.csv";
  public static final String CURVES = "learning_curves.png";
  public static final String TEST_PREDICTIONS = "predictions_test.csv";

  private TrainRunner() {}

  public record Result(String modelLocation, String reportsLocation, ModelManifest manifest, Evaluation test,
                       TrainingLoop.Outcome outcome, ResultsTable table) {}

  /** Trains in this JVM: train.mode must not resolve to spark (that needs the job's SparkSession). */
  public static Result run(MesmConfig config, Configuration hadoop, Consumer<String> log) throws IOException {
    return run(config, hadoop, log, false, TrainRunner::noSpark);
  }

  /**
   * @param resume continue from the run's latest checkpoint (a fresh start when it has none)
   * @param spark the job's session, asked for only when train.mode resolves to spark; the job stops it
   */
  public static Result run(MesmConfig config, Configuration hadoop, Consumer<String> log, boolean resume,
                           Supplier<SparkSession> spark) throws IOException {
    ModelSettings.useConfiguredKernels(config);
    DatasetKind dataset = DatasetKind.of(config);
    PathSettings paths = PathSettings.of(config);
    String splitRoot = paths.split();
    String splitManifest = AtomicOutput.requireComplete(splitRoot, hadoop, "SplitJob");
    double[] positiveWeights = positiveWeights(splitRoot, hadoop, dataset);
    long trainSize = JsonParser.parseString(splitManifest).getAsJsonObject().getAsJsonObject("sizes").get("train").getAsLong();
    String train = Split.TRAIN.folderIn(splitRoot);
    String valid = Split.VALID.folderIn(splitRoot);
    String test = Split.TEST.folderIn(splitRoot);

    List<Modality> modalities = ModelSettings.modalities(config);
    String run = RunNameSettings.of(config).name();
    for (String[] out : new String[][] {{PATHS_MODELS, paths.modelLocation(run)},
        {PATHS_REPORTS, paths.reportsLocation(run)}, {PATHS_CHECKPOINTS, paths.checkpointsLocation(run)}}) {
      OutputGuard.requireApart(hadoop, out[0], out[1], Map.of(PATHS_SPLIT, splitRoot));
    }
    Checkpoints checkpoints = Checkpoints.of(config, paths, run, Sha256.hex(splitManifest), hadoop);
    TextEncoderSettings text = TextEncoderSettings.of(config);
    // Read by the driver only, once: from here on its weights travel inside the graph's parameters.
    AlbertCheckpoint pretrained = pretrained(text, modalities, hadoop, log);
    PretrainedText albert = pretrained == null ? null : pretrained.describe(text.lrFactor());
    Checkpoints.Resumed resumed = resume
        ? checkpoints.latest(t -> ModelSettings.spec(config, modalities, dataset, t, positiveWeights, albert), log) : null;
    if (resume) {
      log.accept(resumed == null ? "--resume: no checkpoint under " + checkpoints.location() + ", starting from epoch 1"
          : "--resume: continuing from " + resumed.folder() + " (" + resumed.state().epochs() + " epochs done)");
    }
    TextTokenizer tokenizer = null;
    if (modalities.contains(Modality.TEXT)) {
      if (resumed != null) {
        tokenizer = resumed.tokenizer();
      } else if (pretrained != null) {
        tokenizer = pretrained.tokenizer();
      } else {
        tokenizer = WordPieceTrainer.train(ExampleReader.texts(train, hadoop), text.vocabSize(), 1);
        log.accept("tokenizer: " + tokenizer.vocabSize() + " pieces learned from the train transcripts");
      }
    }
    ModelSpec spec = ModelSettings.spec(config, modalities, dataset, tokenizer, positiveWeights, albert);
    VisualNormalisation faces = VisualNormalisation.from(config);
    float[] mean = faces.mean();
    float[] std = faces.std();
    EmotionModel model = resumed == null ? EmotionModel.create(spec, tokenizer, mean, std)
        : new EmotionModel(spec, resumed.graph(), tokenizer, mean, std);
    if (pretrained != null && resumed == null) {
      AlbertWeights.Report report = pretrained.applyTo(model.graph());
      log.accept("ALBERT: " + report.loaded().size() + " tensors loaded into the text encoder; not part of the encoder, "
          + "skipped: " + (report.skipped().isEmpty() ? "none" : String.join(", ", report.skipped())));
    }
    TrainingSettings settings = TrainingSettings.of(config);
    DistributedSettings distributed = DistributedSettings.of(config);
    String mode = distributed.resolvedMode(SparkSettings.of(config));
    log.accept(String.format(Locale.ROOT, "training %s on %s (%s): %d train utterances, %,d parameters, batch %d, "
            + "lr %g, at most %d epochs (patience %d), %s", run, dataset.configName(), Modality.label(modalities), trainSize,
        ModelArtifact.parameterCount(model.graph()), settings.batchSize(), spec.learningRate(), settings.maxEpochs(),
        settings.patience(), mode.equals("local") ? "in this JVM" : "parameter averaging on Spark"));
    if (spec.isMesm()) log.accept("MESM's sparse convolutions in this JVM: " + NativeKernels.describe());

    ExampleCache cache = ExampleCache.ofHeap(settings.cacheFraction());
    EpochTrainer trainer = mode.equals("local")
        ? new LocalTrainer(settings, cache.cache(ExampleSource.folder(train, hadoop)), trainSize, log)
        : new SparkEpochTrainer(spark.get(), train, settings, distributed, log);
    ModelFit.Fitted fitted = new ModelFit(settings, log).fit(model, dataset, trainer,
        cache.cache(ExampleSource.folder(valid, hadoop)),
        ExampleSource.folder(test, hadoop), mode, checkpoints.enabled() ? checkpoints : null,
        resumed == null ? null : resumed.state());
    TrainingLoop.Outcome outcome = fitted.outcome();
    ModelEvaluation scored = fitted.evaluation();
    double[] thresholds = scored.thresholds();
    Evaluation evaluation = scored.test();
    Predictions testPredictions = scored.testPredictions();
    ResultsTable table = new ResultsTable().add(label(spec), evaluation, testPredictions);

    JsonObject training = trainingRecord(config, splitRoot, splitManifest, outcome);
    ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT, run, dataset.configName(), dataset.classes(), spec,
        thresholds, model.visualMean(), model.visualStd(), Provenance.buildVersion(), Sha256.hex(splitManifest),
        Instant.now().toString(), training);
    String modelLocation = paths.modelLocation(run);
    ModelArtifact.save(model, manifest, modelLocation, hadoop);

    String reports = paths.reportsLocation(run);
    AtomicOutput out = new AtomicOutput(reports, hadoop);
    table.stage(out);
    out.writeStaged(HISTORY, history(outcome.history()));
    out.writeStaged(TEST_PREDICTIONS, testPredictions.csv(dataset.classes()));
    try (OutputStream png = out.createStaged(CURVES)) {
      png.write(LearningCurves.png(label(spec), outcome.history(), evaluation.headlineName(), outcome.bestEpoch()));
    }
    JsonObject reportManifest = new JsonObject();
    reportManifest.addProperty("model", modelLocation);
    reportManifest.addProperty("model_id", run);
    reportManifest.add("training", training);
    out.publish(reportManifest.toString());
    return new Result(modelLocation, reports, manifest, evaluation, outcome, table);
  }

  /** The session a local-only caller gives: asking for it means train.mode resolved to spark. */
  static SparkSession noSpark() {
    throw new IllegalStateException(TRAIN_MODE + " resolves to spark (parameter averaging), which needs the job's "
        + "SparkSession: call run(config, hadoop, log, resume, spark) with it");
  }

  /** "FE2E (T+A+V)", "MESM (T+A+V, p=0.7)": the row label of the results table. */
  public static String label(ModelSpec spec) {
    String modalities = Modality.label(spec.modalities());
    if (spec.isMesm()) modalities += ", p=" + SweepPoint.format(spec.topP());
    // Both attention modes can sit in one table; the reference's, the default, goes unnamed.
    if (spec.isMesm() && spec.attentionMode() == ai.mesm.model.sparse.AttentionMode.SCALED) modalities += ", scaled";
    return spec.type().toUpperCase(Locale.ROOT) + " (" + modalities + ")";
  }

  /** The ALBERT checkpoint model.text.pretrained names, when the text encoder is ALBERT and the model reads text. */
  private static AlbertCheckpoint pretrained(TextEncoderSettings text, List<Modality> modalities, Configuration hadoop,
                                             Consumer<String> log) throws IOException {
    if (!text.albert()) return null;
    if (!modalities.contains(Modality.TEXT)) {
      log.accept(TEXT_ENCODER + " = albert is not used: the model reads no text (" + Modality.label(modalities) + ")");
      return null;
    }
    AlbertCheckpoint checkpoint = AlbertCheckpoint.read(text.pretrained(), hadoop);
    AlbertConfig c = checkpoint.config();
    log.accept(String.format(Locale.ROOT, "ALBERT from %s: hidden %d, %d layers sharing one set of weights, %d heads, "
            + "vocabulary %d; learns at learning-rate / %s", Secrets.redactUris(text.pretrained()),
        c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(), c.vocabSize(), text.lrFactor()));
    return checkpoint;
  }

  /** The loss's per-class positive weights as SplitJob counted them on train, checked against the class order. */
  public static double[] positiveWeights(String splitRoot, Configuration hadoop, DatasetKind dataset) throws IOException {
    Path file = new Path(splitRoot, Workspace.SPLIT_CLASS_WEIGHTS);
    JsonObject o;
    try (InputStream in = file.getFileSystem(hadoop).open(file)) {
      o = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
    List<String> classes = new ArrayList<>();
    o.getAsJsonArray("classes").forEach(c -> classes.add(c.getAsString()));
    if (!classes.equals(dataset.classes())) {
      throw new IOException(file + ": classes " + classes + " are not those of " + dataset.configName() + " "
          + dataset.classes() + " (dataset setting does not match the split?)");
    }
    JsonArray w = o.getAsJsonArray("pos_weight");
    double[] out = new double[w.size()];
    for (int i = 0; i < out.length; i++) out[i] = w.get(i).getAsDouble();
    return out;
  }

  private static JsonObject trainingRecord(MesmConfig config, String splitRoot, String splitManifest,
                                           TrainingLoop.Outcome outcome) {
    JsonObject t = new JsonObject();
    t.addProperty("split", splitRoot);
    t.add("split_sizes", JsonParser.parseString(splitManifest).getAsJsonObject().get("sizes"));
    t.addProperty("epochs", outcome.history().size());
    t.addProperty("best_epoch", outcome.bestEpoch());
    t.addProperty("stopped_early", outcome.stoppedEarly());
    t.addProperty("best_valid_f1", outcome.best().validF1());
    t.add("history", EpochResult.toJson(outcome.history()));
    // Each process that trained the run: one entry, or one per --resume.
    t.add("sessions", Checkpoints.sessionsJson(outcome.sessions()));
    t.add("config", JsonParser.parseString(config.canonicalJson()));
    return t;
  }

  private static String history(List<EpochResult> history) {
    StringBuilder sb = new StringBuilder("epoch,train_loss,valid_loss,valid_f1,valid_headline,seconds\n");
    for (EpochResult r : history) {
      sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3f%n", r.epoch(), r.trainLoss(), r.validLoss(),
          r.validF1(), r.validHeadline(), r.seconds()));
    }
    return sb.toString();
  }
}
