package ai.mesm.stage;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.data.ExampleStream;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.PathSettings;
import ai.mesm.io.Sha256;
import ai.mesm.model.FeatureCnn;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.split.Split;
import ai.mesm.train.TrainingSettings;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What the reproduce job's --plan prints: each run, where it stands (complete, interrupted,
 * to train) and its estimated cost, GFLOPs × utterances × epochs: the dense feature extraction of
 * one utterance (FE2E's, so an upper bound for MESM, whose sparse blocks skip sites), times the
 * train split's utterances, times train.max-epochs (early stopping may end a run sooner).
 */
public final class ReproduceEstimate {
  /** Validation utterances read to estimate the frames and mel chunks of a typical utterance. */
  static final int SAMPLE = 32;

  private ReproduceEstimate() {}

  public static String table(java.util.List<ReproduceRunner.DatasetPlan> plans, Configuration hadoop) throws IOException {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %-18s %-46s %-12s %14s%n", "dataset", "run",
        "experiments", "status", "est. TFLOPs"));
    double total = 0;
    int toTrain = 0;
    for (ReproduceRunner.DatasetPlan d : plans) {
      DatasetKind dataset = d.plan().dataset();
      String split = PathSettings.of(d.config()).split();
      Path manifest = new Path(split, AtomicOutput.MANIFEST);
      if (!manifest.getFileSystem(hadoop).exists(manifest)) {
        sb.append(dataset.configName()).append(": no complete split at ").append(split).append(" (run SplitJob first); ")
            .append(d.plan().runs().size()).append(" runs planned\n");
        continue;
      }
      String splitManifest = AtomicOutput.requireComplete(split, hadoop, "SplitJob");
      String fingerprint = Sha256.hex(splitManifest);
      long trainSize = JsonParser.parseString(splitManifest).getAsJsonObject().getAsJsonObject("sizes").get("train").getAsLong();
      double[] frameChunks = typicalUtterance(Split.VALID.folderIn(split), hadoop);
      // The loss weights change no FLOPs: any positive ones make a valid spec.
      double[] ones = new double[dataset.classes().size()];
      Arrays.fill(ones, 1);
      for (ReproducePlan.Run r : d.plan().runs()) {
        MesmConfig c = d.config().with(r.overrides());
        TrainedRun.Status status = TrainedRun.status(c, fingerprint, hadoop);
        ModelSpec spec = ModelSettings.spec(c, r.modalities(), dataset, null, ones, null);
        double gflops = FeatureCnn.fe2eGflops(spec, (int) Math.round(frameChunks[0]), (int) Math.round(frameChunks[1]));
        double tflops = gflops * trainSize * TrainingSettings.of(c).maxEpochs() / 1e3;
        if (status != TrainedRun.Status.COMPLETE) {
          total += tflops;
          toTrain++;
        }
        sb.append(String.format(Locale.ROOT, "%-8s %-18s %-46s %-12s %s%13.4g%n", dataset.configName(), r.name(),
            ReproduceRunner.experiments(r), status.name().toLowerCase(Locale.ROOT).replace('_', ' '),
            r.isMesm() ? "≤" : " ", tflops));
      }
    }
    sb.append(String.format(Locale.ROOT, "%d runs left to train, ≤ %.4g TFLOPs of feature extraction "
        + "(GFLOPs per utterance × train utterances × train.max-epochs; forward only)%n", toTrain, total));
    return sb.toString();
  }

  /** Mean frames and mel chunks of the first {@link #SAMPLE} utterances of a split folder. */
  private static double[] typicalUtterance(String folder, Configuration hadoop) throws IOException {
    double frames = 0, chunks = 0;
    int n = 0;
    try (ExampleStream s = ExampleSource.folder(folder, hadoop).open()) {
      while (n < SAMPLE && s.hasNext()) {
        Example e = s.next();
        frames += e.nFrames();
        chunks += e.nChunks();
        n++;
      }
    }
    return n == 0 ? new double[] {0, 0} : new double[] {frames / n, chunks / n};
  }
}
