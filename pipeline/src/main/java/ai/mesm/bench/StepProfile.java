package ai.mesm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of a model step goes, by part of the network: the JDK's flight recorder samples
 * the thread that runs the steps (Java and native frames alike: ND4J's and oneDNN's kernels run
 * under the DL4J layer that called them), and each sample is given to the part its stack names,
 * forward or backward. Sampling, not instrumentation: DL4J has no per-layer hook, and a profile
 * that timed every layer would change what it measures. Parts of the same class (the visual and
 * the audio CNN, the three encoders) share a line.
 */
public final class StepProfile {
  /** A part's share of the sampled time, and that share of the measured time. */
  public record Part(String name, int samples, double seconds) {}

  /**
   * @param seconds   wall time of the profiled steps, measured around them
   * @param coverage  the samples' span over the measured time (sampling period × samples); near 1
   *                  when the sampler kept up
   */
  public record Profile(double seconds, int steps, int samples, double coverage, List<Part> parts) {
    public String describe() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.1f ms per step, %d samples (%.0f %% of the time "
          + "sampled):", 1000 * seconds / steps, samples, 100 * coverage));
      for (Part p : parts) {
        sb.append(String.format(Locale.ROOT, "%n    %-36s %7.1f ms  %5.1f %%", p.name(), 1000 * p.seconds() / steps,
            100.0 * p.samples() / samples));
      }
      return sb.toString();
    }
  }

  private static final Duration PERIOD = Duration.ofMillis(10);

  /** Which class of frame names which part; the first frame from the top of the stack that matches decides. */
  private static final Map<String, String> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("org.deeplearning4j.nn.layers.convolution.ConvolutionLayer", "CNN convolutions");
    PARTS.put("ai.mesm.model.layers.CachedConvolutionLayer", "CNN convolutions");
    PARTS.put("ai.mesm.model.layers.BatchNormReluLayer", "CNN BatchNorm + ReLU");
    PARTS.put("ai.mesm.model.layers.MaxPool2x2Vertex", "CNN max-pool");
    PARTS.put("ai.mesm.model.layers.SequenceToFramesVertex", "sequence <-> frames");
    PARTS.put("ai.mesm.model.layers.FramesToSequenceVertex", "sequence <-> frames");
    PARTS.put("ai.mesm.model.layers.MesmSparseVertex", "MESM sparse blocks");
    PARTS.put("org.deeplearning4j.nn.layers.feedforward.embedding.EmbeddingSequenceLayer", "text embedding");
    PARTS.put("org.deeplearning4j.nn.layers.samediff.SameDiffLayer", "Transformer encoders");
    PARTS.put("ai.mesm.model.layers.CorrectedSameDiffLayer", "Transformer encoders");
    // The hand-written encoders (the Transformer's and ALBERT's) run their passes under this class's activate and backpropGradient.
    PARTS.put("ai.mesm.model.layers.HandWrittenSequenceLayer", "Transformer encoders");
    PARTS.put("ai.mesm.model.layers.LogitFusionVertex", "fusion and loss");
    PARTS.put("org.deeplearning4j.nn.layers.LossLayer", "fusion and loss");
    // DenseLayer inherits its forward and backward passes from BaseLayer (the other layers above override them).
    PARTS.put("org.deeplearning4j.nn.layers.BaseLayer", "projections and heads");
    PARTS.put("org.deeplearning4j.nn.updater.BaseMultiLayerUpdater", "optimizer update");
    PARTS.put("org.deeplearning4j.optimize.stepfunctions.NegativeDefaultStepFunction", "optimizer update");
    PARTS.put("ai.mesm.model.BatchBuilder", "batch building");
  }

  /** Parts that run once per step, with no forward and backward of their own. */
  private static final Set<String> UNDIRECTED = Set.of("optimizer update", "batch building");

  private StepProfile() {}

  /** Profiles {@code steps} runs of {@code step} on this thread (after one untimed run). */
  public static Profile of(Runnable step, int steps) throws IOException {
    step.run();
    Path file = Files.createTempFile("mesm-profile", ".jfr");
    long thread = Thread.currentThread().getId();
    double seconds;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(PERIOD);
      recording.enable("jdk.NativeMethodSample").withPeriod(PERIOD);
      recording.start();
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) step.run();
      seconds = (System.nanoTime() - t0) / 1e9;
      recording.stop();
      recording.dump(file);
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    int samples = 0;
    try {
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        // Only the samplers' events: a recording the JVM was started with adds others to the file.
        if (!e.hasField("sampledThread")) continue;
        if (e.getThread("sampledThread") == null || e.getThread("sampledThread").getJavaThreadId() != thread) continue;
        samples++;
        counts.merge(part(e.getStackTrace()), 1, Integer::sum);
      }
    } finally {
      Files.deleteIfExists(file);
    }
    List<Part> parts = new ArrayList<>();
    int total = Math.max(1, samples);
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(c -> parts.add(new Part(c.getKey(), c.getValue(), seconds * c.getValue() / total)));
    double coverage = samples * PERIOD.toNanos() / 1e9 / seconds;
    return new Profile(seconds, steps, samples, coverage, parts);
  }

  /** The part a sampled stack belongs to, with "forward" or "backward" where the network has both. */
  static String part(RecordedStackTrace stack) {
    if (stack == null) return "other";
    boolean backward = false;
    String part = null;
    for (RecordedFrame f : stack.getFrames()) {
      String method = f.getMethod().getName();
      if (method.equals("backpropGradient") || method.equals("doBackward") || method.equals("calcBackpropGradients")) {
        backward = true;
      }
      if (part == null) part = PARTS.get(f.getMethod().getType().getName());
    }
    if (part == null) return backward ? "other, backward" : "other";
    if (UNDIRECTED.contains(part)) return part;
    return part + (backward ? ", backward" : ", forward");
  }
}
