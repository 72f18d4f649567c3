package ai.mesm.bench;

import ai.mesm.model.Fe2eGraph;
import ai.mesm.model.FeatureCnn;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.sparse.AttentionMode;
import ai.mesm.model.sparse.SparseBlock;
import ai.mesm.model.sparse.SparseStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feature-extraction wall time of FE2E (the dense CNN) against MESM (the dense stem, then the
 * sparse blocks) on the same frames, in one run, next to the ratio of their multiply-adds
 * counted from the sites each block really kept: the sparse path must turn the FLOPs saving into
 * time. Inference mode, REFERENCE attention at its initial values (as the reference trains it).
 */
public final class SparseSpeed {
  /** One p: the MESM/FE2E ratios and the fraction of input sites each block kept. */
  public record Row(Modality modality, double p, double flopsRatio, double timeRatio, double fe2eMsPerUtterance,
                    double mesmMsPerUtterance, double[] keptFraction, double stemFlopsRatio, double stemTimeRatio) {
    public String describe() {
      StringBuilder kept = new StringBuilder();
      for (double f : keptFraction) kept.append(kept.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", f));
      return String.format(Locale.ROOT, "%s p=%.1f flops_ratio=%.2f time_ratio=%.2f  (FE2E %.0f ms, MESM %.0f ms per "
          + "utterance; kept per block %s; the dense stem alone: flops %.2f, time %.2f)", modality.inputName(), p,
          flopsRatio, timeRatio, fe2eMsPerUtterance, mesmMsPerUtterance, kept, stemFlopsRatio, stemTimeRatio);
    }
  }

  private SparseSpeed() {}

  public static List<Row> measure(ModelSpec spec, Modality modality, int utterances, int stepsPerUtterance, double[] ps,
                                  int iterations, long seed) {
    List<FeatureCnn.Layer> layers = FeatureCnn.layers(spec.channelDivisor());
    ComputationGraph full = graph(spec, modality, layers);
    ComputationGraph stem = graph(spec, modality, layers.subList(0, FeatureCnn.MESM_DENSE_LAYERS));
    Nd4j.getRandom().setSeed(seed);
    long features = modality == Modality.AUDIO ? spec.audioFeatures() : spec.visualFeatures();
    INDArray[] in = {Nd4j.randn(DataType.FLOAT, utterances, features, stepsPerUtterance)};
    INDArray[] mask = {Nd4j.ones(DataType.FLOAT, utterances, stepsPerUtterance)};
    int steps = utterances * stepsPerUtterance;
    INDArray query = Nd4j.randn(DataType.FLOAT, steps, spec.dim());
    int[] chw = modality == Modality.AUDIO ? new int[] {1, spec.melBins(), spec.chunkFrames()}
        : new int[] {3, spec.faceSize(), spec.faceSize()};
    double fe2eMacs = (double) steps * FeatureCnn.macs(layers, chw[0], chw[1], chw[2]);
    double stemMacs = (double) steps * FeatureCnn.macs(layers.subList(0, FeatureCnn.MESM_DENSE_LAYERS), chw[0], chw[1], chw[2]);

    full.output(false, in, mask); // warm-up
    double fe2eSeconds = time(iterations, () -> full.output(false, in, mask));
    stem.output(false, in, mask);
    double stemSeconds = time(iterations, () -> stem.output(false, in, mask));
    List<Row> rows = new ArrayList<>();
    for (double p : ps) {
      SparseStack stack = new SparseStack(spec.channelDivisor(), spec.dim(), p, AttentionMode.REFERENCE);
      INDArray params = Nd4j.zeros(DataType.FLOAT, 1, stack.parameterCount());
      stack.initialise(params, seed);
      List<SparseBlock.Output> outs = stack.forward(stem.output(false, in, mask)[0], query, params, false);
      double sparseMacs = 0;
      double[] kept = new double[outs.size()];
      for (int b = 0; b < outs.size(); b++) {
        SparseBlock.Trace t = outs.get(b).trace();
        long cin = t.x().size(1);
        sparseMacs += t.convMacs() + (double) t.in().size() * cin * (cin + 1); // + attention scores
        kept[b] = t.keptIndex().length / (double) Math.max(1, t.in().size());
      }
      double seconds = time(iterations, () -> stack.forward(stem.output(false, in, mask)[0], query, params, false));
      rows.add(new Row(modality, p, (stemMacs + sparseMacs) / fe2eMacs, seconds / fe2eSeconds,
          1000 * fe2eSeconds / utterances, 1000 * seconds / utterances, kept, stemMacs / fe2eMacs, stemSeconds / fe2eSeconds));
    }
    return rows;
  }

  private static ComputationGraph graph(ModelSpec spec, Modality m, List<FeatureCnn.Layer> layers) {
    ComputationGraph g = new ComputationGraph(Fe2eGraph.featureExtractor(spec, m, DataType.FLOAT, layers));
    g.init();
    return g;
  }

  /** Seconds of the fastest of {@code iterations} runs: the least disturbed by other work on the machine. */
  private static double time(int iterations, Runnable run) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      run.run();
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best / 1e9;
  }
}
