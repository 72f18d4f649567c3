package ai.mesm.model;

import ai.mesm.model.Batch;
import ai.mesm.model.BatchBuilder;
import ai.mesm.model.layers.MesmSparseVertex;
import ai.mesm.model.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained (or training) emotion model: the DL4J graph plus everything that turns examples into
 * its inputs (tokenizer, crop normalisation, geometry). Free of Spark, so that the same object
 * trains in a unit test, on the driver and inside an executor.
 */
public final class EmotionModel {
  private final ModelSpec spec;
  private final ComputationGraph graph;
  private final TextTokenizer tokenizer;
  private final float[] visualMean;
  private final float[] visualStd;
  /** The folded copy a frozen model predicts with ({@link #frozen()}); null while the model trains. */
  private final ComputationGraph inference;

  /**
   * @param tokenizer  null when the model takes no text
   * @param visualMean per-channel crop mean on the 0–255 scale (docs/computation.md#face-crops)
   */
  public EmotionModel(ModelSpec spec, ComputationGraph graph, TextTokenizer tokenizer, float[] visualMean,
                      float[] visualStd) {
    this(spec, graph, tokenizer, visualMean, visualStd, null);
  }

  private EmotionModel(ModelSpec spec, ComputationGraph graph, TextTokenizer tokenizer, float[] visualMean,
                       float[] visualStd, ComputationGraph inference) {
    if (spec.uses(Modality.TEXT) && tokenizer == null) throw new IllegalArgumentException("a text model needs a tokenizer");
    if (tokenizer != null && spec.uses(Modality.TEXT) && tokenizer.vocabSize() != spec.vocabSize()) {
      throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " pieces, model " + spec.vocabSize());
    }
    this.spec = spec;
    this.graph = graph;
    this.tokenizer = tokenizer;
    this.visualMean = visualMean.clone();
    this.visualStd = visualStd.clone();
    this.inference = inference;
  }

  /**
   * This model as it is now, for predicting only: its CNNs with BatchNorm folded into the
   * convolutions ({@link InferenceGraph}), the same probabilities as {@link #probabilities} in
   * inference mode (to float rounding) with less work. Evaluation and scoring use it; a frozen
   * model cannot be trained, and later training of this one does not change it.
   */
  public EmotionModel frozen() {
    if (inference != null) return this;
    return new EmotionModel(spec, graph, tokenizer, visualMean, visualStd, InferenceGraph.fold(spec, graph));
  }

  public boolean isFrozen() {
    return inference != null;
  }

  private ComputationGraph predicting() {
    return inference != null ? inference : graph;
  }

  private void requireTrainable() {
    if (inference != null) throw new IllegalStateException("a frozen model only predicts; train the model it was frozen from");
  }

  /** A freshly initialised FE2E model (seeded by the spec). */
  public static EmotionModel create(ModelSpec spec, TextTokenizer tokenizer, float[] visualMean, float[] visualStd) {
    return new EmotionModel(spec, graph(spec), tokenizer, visualMean, visualStd);
  }

  /** The initialised graph of a spec: also what saved parameters are loaded into, so the spec alone decides its layout. */
  public static ComputationGraph graph(ModelSpec spec) {
    ComputationGraph graph = new ComputationGraph(Fe2eGraph.build(spec, DataType.FLOAT));
    graph.init();
    return graph;
  }

  public ModelSpec spec() {
    return spec;
  }

  public ComputationGraph graph() {
    return graph;
  }

  /** Null for models without text. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public float[] visualMean() {
    return visualMean.clone();
  }

  public float[] visualStd() {
    return visualStd.clone();
  }

  /** Builds batches exactly as this model reads them. */
  public BatchBuilder batchBuilder() {
    return new BatchBuilder(spec.uses(Modality.TEXT) ? tokenizer : null, spec.maxTokens(), spec.faceSize(),
        spec.audioFeatures(), visualMean, visualStd);
  }

  /** One optimisation step on the batch; returns its loss. */
  public double fit(Batch batch) {
    requireTrainable();
    FlatGradientUpdater.install(graph);
    graph.fit(dataSet(batch));
    return graph.score();
  }

  /** Sigmoid probabilities [item][class], inference mode (no dropout, BatchNorm running statistics). */
  public double[][] probabilities(Batch batch) {
    INDArray logits = predicting().output(false, features(batch), masks(batch))[0];
    return Transforms.sigmoid(logits, true).castTo(DataType.DOUBLE).toDoubleMatrix();
  }

  /**
   * Probabilities and feature-extraction GFLOPs per utterance (paper Tables 3–4) from one inference
   * pass: FE2E runs every real frame and chunk through the full CNN, so its count follows from the
   * masks; MESM counts its dense stem the same way and its sparse blocks from the sites they kept.
   */
  public record Scores(double[][] probabilities, double[] gflops, SiteActivity activity) {}

  public Scores score(Batch batch) {
    double[][] p = probabilities(batch);
    double[] frames = batch.visualMask().sum(1).toDoubleVector();
    double[] chunks = batch.audioMask().sum(1).toDoubleVector();
    double[] gflops = new double[batch.size()];
    if (!spec.isMesm()) {
      for (int i = 0; i < gflops.length; i++) gflops[i] = FeatureCnn.fe2eGflops(spec, (int) frames[i], (int) chunks[i]);
      return new Scores(p, gflops, SiteActivity.none());
    }
    SiteActivity activity = new SiteActivity();
    for (Modality m : List.of(Modality.AUDIO, Modality.VISUAL)) {
      if (!spec.uses(m)) continue;
      double[] steps = m == Modality.AUDIO ? chunks : frames;
      int[] chw = m == Modality.AUDIO ? new int[] {1, spec.melBins(), spec.chunkFrames()}
          : new int[] {3, spec.faceSize(), spec.faceSize()};
      long stem = FeatureCnn.macs(FeatureCnn.layers(spec.channelDivisor()).subList(0, FeatureCnn.MESM_DENSE_LAYERS),
          chw[0], chw[1], chw[2]);
      MesmSparseVertex vertex = sparseVertex(m);
      double[] sparse = vertex.lastMacsPerUtterance(gflops.length);
      vertex.addActivity(m, activity);
      for (int i = 0; i < gflops.length; i++) gflops[i] += 2.0 * (steps[i] * stem + (steps[i] > 0 ? sparse[i] : 0)) / 1e9;
    }
    return new Scores(p, gflops, activity);
  }

  /** The sparse blocks of one modality (MESM only): what they kept and computed in the last forward pass. */
  public MesmSparseVertex sparseVertex(Modality m) {
    return (MesmSparseVertex) predicting().getVertex(m.inputName() + "_sparse");
  }

  public MultiDataSet dataSet(Batch batch) {
    return dataSet(spec.modalities(), batch);
  }

  /** The inputs of a model on {@code modalities}, from a batch: also what Spark executors feed their copies. */
  public static MultiDataSet dataSet(List<Modality> modalities, Batch batch) {
    return new MultiDataSet(features(modalities, batch), new INDArray[] {batch.labels().castTo(DataType.FLOAT)},
        masks(modalities, batch), null);
  }

  INDArray[] features(Batch batch) {
    return features(spec.modalities(), batch);
  }

  INDArray[] masks(Batch batch) {
    return masks(spec.modalities(), batch);
  }

  private static INDArray[] features(List<Modality> modalities, Batch batch) {
    requireModalities(modalities, batch);
    return modalities.stream().map(batch::features).toArray(INDArray[]::new);
  }

  private static INDArray[] masks(List<Modality> modalities, Batch batch) {
    return modalities.stream().map(batch::mask).toArray(INDArray[]::new);
  }

  /** A model trained on T+A+V cannot score audio and video alone: say so, naming what is missing. */
  private static void requireModalities(List<Modality> modalities, Batch batch) {
    List<Modality> missing = new ArrayList<>(modalities);
    missing.removeAll(batch.modalities());
    if (missing.isEmpty()) return;
    String ids = batch.ids().size() <= 3 ? batch.ids().toString() : batch.ids().subList(0, 3) + "…";
    throw new MissingModalityException("this model was trained on " + Modality.label(modalities)
        + " and needs " + names(modalities) + ", but the input of " + ids + " has only "
        + (batch.modalities().isEmpty() ? "nothing" : names(batch.modalities())) + " (missing: " + names(missing)
        + "); use a model trained on " + Modality.label(batch.modalities()) + " (model.modalities)");
  }

  private static String names(List<Modality> ms) {
    return String.join(", ", ms.stream().map(Modality::inputName).toList());
  }

  /** Current parameters, copied (for keeping the best epoch). */
  public INDArray snapshot() {
    return graph.params().dup();
  }

  public void restore(INDArray parameters) {
    requireTrainable();
    graph.setParams(parameters);
  }
}
