package ai.mesm.bench;

import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.data.ExampleStream;
import ai.mesm.model.Batch;
import ai.mesm.model.BatchBuilder;
import ai.mesm.model.Fe2eGraph;
import ai.mesm.model.FeatureCnn;
import ai.mesm.model.InferenceGraph;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.sparse.AlignedParams;
import ai.mesm.model.sparse.AttentionMode;
import ai.mesm.model.sparse.SparseBlock;
import ai.mesm.model.sparse.SparseBlockParams;
import ai.mesm.model.sparse.SparseStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feature-extraction wall time of FE2E (the dense CNN) against MESM (the dense stem, then the
 * sparse blocks) on the same frames, in one run, next to the ratio of their multiply-adds
 * counted from the sites each block really kept: the sparse path must turn the FLOPs saving into
 * time. Inference mode, REFERENCE attention at its initial values (as the reference trains it).
 *
 * <p>Inputs are either frames and chunks of real (ingested) utterances, or i.i.d. Gaussian noise:
 * the worst case for any sparse convolution, because the attention then keeps scattered sites
 * with few active neighbours, whereas pictures and spectrograms give it connected regions.
 *
 * <p>The configurations are timed in rounds (FE2E, the stem alone, then MESM at every p, then
 * the sparse blocks alone at every p) and each keeps its fastest round, so that a slow spell of
 * the machine cannot favour one side. The MESM/FE2E ratio is then split in its two parts: the
 * dense stem, identical in both models, and the sparse blocks against the FE2E layers they
 * replace (FE2E's time minus the stem's).
 */
public final class SparseSpeed {
  /** One p: the MESM/FE2E ratios, their split into stem and sparse blocks, and the fraction of input sites each block kept. */
  public record Row(Modality modality, String inputs, double p, double flopsRatio, double timeRatio, double fe2eMsPerUtterance,
                    double mesmMsPerUtterance, double[] keptFraction, double stemFlopsRatio, double stemTimeRatio,
                    double blocksFlopsRatio, double blocksTimeRatio) {
    public String describe() {
      StringBuilder kept = new StringBuilder();
      for (double f : keptFraction) kept.append(kept.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", f));
      // The time over the FLOPs ratio from the unrounded values: how far the time is above what the FLOPs allow.
      return String.format(Locale.ROOT, "%s %s p=%.1f flops_ratio=%.2f time_ratio=%.2f (%.2fx the FLOPs ratio)  (FE2E %.0f ms, "
          + "MESM %.0f ms per utterance; kept per block %s; the dense stem, same in both: flops %.2f, time %.2f of FE2E; the "
          + "sparse blocks against the FE2E layers they replace: flops %.2f, time %.2f)", modality.inputName(), inputs, p,
          flopsRatio, timeRatio, timeRatio / flopsRatio, fe2eMsPerUtterance, mesmMsPerUtterance, kept, stemFlopsRatio, stemTimeRatio, blocksFlopsRatio, blocksTimeRatio);
    }
  }

  private SparseSpeed() {}

  /** The CNN input of one modality for a batch of utterances: [mb, C·H·W, T] features and their [mb, T] step mask. */
  public record Input(String label, INDArray features, INDArray mask) {
    /** i.i.d. Gaussian frames or chunks, every step real. */
    public static Input noise(ModelSpec spec, Modality modality, int utterances, int stepsPerUtterance, long seed) {
      Nd4j.getRandom().setSeed(seed);
      long features = modality == Modality.AUDIO ? spec.audioFeatures() : spec.visualFeatures();
      return new Input("noise", Nd4j.randn(DataType.FLOAT, utterances, features, stepsPerUtterance),
          Nd4j.ones(DataType.FLOAT, utterances, stepsPerUtterance));
    }

    /**
     * The first {@code utterances} examples of {@code source} with at least one step of the
     * modality, as the model's batch builder prepares them; empty if the source has none.
     */
    public static java.util.Optional<Input> utterances(ExampleSource source, BatchBuilder builder, Modality modality,
                                                       int utterances) throws java.io.IOException {
      List<Example> picked = new ArrayList<>();
      try (ExampleStream stream = source.open()) {
        while (stream.hasNext() && picked.size() < utterances) {
          Example e = stream.next();
          if ((modality == Modality.AUDIO ? e.nChunks() : e.nFrames()) > 0) picked.add(e);
        }
      }
      if (picked.isEmpty()) return java.util.Optional.empty();
      Batch batch = builder.build(picked);
      return java.util.Optional.of(new Input("corpus", batch.features(modality), batch.mask(modality)));
    }

    int utterances() {
      return (int) features.size(0);
    }

    int steps() {
      return mask.sumNumber().intValue();
    }
  }

  public static List<Row> measure(ModelSpec spec, Modality modality, Input input, double[] ps, int rounds, long seed) {
    List<FeatureCnn.Layer> layers = FeatureCnn.layers(spec.channelDivisor());
    ComputationGraph full = graph(spec, modality, layers);
    ComputationGraph stem = graph(spec, modality, layers.subList(0, FeatureCnn.MESM_DENSE_LAYERS));
    Nd4j.getRandom().setSeed(seed);
    INDArray[] in = {input.features().castTo(DataType.FLOAT)};
    INDArray[] mask = {input.mask().castTo(DataType.FLOAT)};
    int utterances = input.utterances();
    int steps = input.steps();
    INDArray query = Nd4j.randn(DataType.FLOAT, steps, spec.dim());
    int[] chw = modality == Modality.AUDIO ? new int[] {1, spec.melBins(), spec.chunkFrames()}
        : new int[] {3, spec.faceSize(), spec.faceSize()};
    double fe2eMacs = (double) steps * FeatureCnn.macs(layers, chw[0], chw[1], chw[2]);
    double stemMacs = (double) steps * FeatureCnn.macs(layers.subList(0, FeatureCnn.MESM_DENSE_LAYERS), chw[0], chw[1], chw[2]);
    INDArray stemOut = stem.output(false, in, mask)[0];

    List<SparseStack> stacks = new ArrayList<>();
    List<List<SparseBlockParams>> params = new ArrayList<>();
    double[] sparseMacs = new double[ps.length];
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < ps.length; i++) {
      SparseStack stack = new SparseStack(spec.channelDivisor(), spec.dim(), ps[i], AttentionMode.REFERENCE);
      INDArray w = Nd4j.zeros(DataType.FLOAT, 1, stack.parameterCount());
      stack.initialise(w, seed);
      List<SparseBlock.Output> outs = stack.forward(stemOut, query, w, false);
      double[] k = new double[outs.size()];
      for (int b = 0; b < outs.size(); b++) {
        SparseBlock.Trace t = outs.get(b).trace();
        long cin = t.x().size(1);
        sparseMacs[i] += t.convMacs() + (double) t.in().size() * cin * (cin + 1); // + attention scores
        k[b] = t.keptIndex().length / (double) Math.max(1, t.in().size());
      }
      stacks.add(stack);
      params.add(AlignedParams.copy(stack.params(w))); // as a frozen model holds them
      kept.add(k);
    }

    List<Runnable> runs = new ArrayList<>();
    runs.add(() -> withOutputs(ws -> full.output(false, in, mask, null, ws)));
    runs.add(() -> withOutputs(ws -> stem.output(false, in, mask, null, ws)));
    for (int i = 0; i < ps.length; i++) {
      SparseStack stack = stacks.get(i);
      List<SparseBlockParams> w = params.get(i);
      // As the frozen model's vertex runs it: on the stem's map where the graph left it.
      runs.add(() -> withOutputs(ws -> stack.infer(stem.output(false, in, mask, null, ws)[0], query, w)));
    }
    for (int i = 0; i < ps.length; i++) {
      SparseStack stack = stacks.get(i);
      List<SparseBlockParams> w = params.get(i);
      runs.add(() -> stack.infer(stemOut, query, w));
    }
    double[] seconds = fastestRounds(runs, rounds);
    double fe2e = seconds[0];
    double stemSeconds = seconds[1];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ps.length; i++) {
      double mesm = seconds[2 + i];
      double blocks = seconds[2 + ps.length + i];
      rows.add(new Row(modality, input.label(), ps[i], (stemMacs + sparseMacs[i]) / fe2eMacs, mesm / fe2e, 1000 * fe2e / utterances,
          1000 * mesm / utterances, kept.get(i), stemMacs / fe2eMacs, stemSeconds / fe2e,
          sparseMacs[i] / (fe2eMacs - stemMacs), blocks / Math.max(1e-9, fe2e - stemSeconds)));
    }
    return rows;
  }

  private static final WorkspaceConfiguration OUTPUTS = SparseStack.reusedPerCall();

  /**
   * Runs {@code body} with the graph's output in a workspace that the next call reuses, as inside a model, where
   * layer outputs live in DL4J's workspaces: a detached output is a fresh array per call, and the stem's map (7 MB
   * for 49 faces) was then page-faulted anew on every call until a garbage collection freed the old ones
   * (~2,000 faults and +25 ms per stem call on this VM, half of a MESM call, for the first ~20 rounds of a run).
   */
  private static void withOutputs(java.util.function.Consumer<MemoryWorkspace> body) {
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(OUTPUTS, "MESM_BENCH_OUTPUTS")) {
      body.accept(ws);
    }
  }

  /** Seconds of each run's fastest round: every round runs them all in turn, after untimed rounds ({@link WarmUp}). */
  private static double[] fastestRounds(List<Runnable> runs, int rounds) {
    WarmUp.run(() -> runs.forEach(Runnable::run), 2, 10);
    double[] best = new double[runs.size()];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < runs.size(); i++) {
        long t0 = System.nanoTime();
        runs.get(i).run();
        best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e9);
      }
    }
    return best;
  }

  /** The CNN's first {@code layers} as evaluation and scoring run them: folded ({@link InferenceGraph}). */
  private static ComputationGraph graph(ModelSpec spec, Modality m, List<FeatureCnn.Layer> layers) {
    ComputationGraph trained = new ComputationGraph(Fe2eGraph.featureExtractor(spec, m, DataType.FLOAT, layers));
    trained.init();
    return InferenceGraph.fold(trained, Fe2eGraph.foldedFeatureExtractor(spec, m, DataType.FLOAT, layers));
  }
}
