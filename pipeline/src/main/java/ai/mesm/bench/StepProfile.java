package ai.mesm.bench;

import ai.mesm.model.layers.RunningLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the time of a model step goes, by part of the network: a sampler thread takes the stack of
 * the thread that runs the steps every {@value #PERIOD_MILLIS} ms of wall time, whatever that
 * thread is doing (computing, in a native kernel, or parked while other threads compute a part for
 * it), and each sample is given to the part its stack names, forward or backward, weighted by the
 * wall time since the sample before. So the parts add up to the time the steps took, measured by
 * another clock, and a part that farms its work out to other threads is charged for the wait.
 * Sampling, not instrumentation: DL4J has no per-layer hook, and a profile that timed every layer
 * would change what it measures. The product's own CNN and encoder layers note which network they
 * belong to ({@link RunningLayer}), so those parts are split by modality; DL4J's own layers (the
 * frozen graph's folded convolutions among them) are not. (The flight recorder, used before, samples only threads that run Java or
 * native code, and one thread in native code per period: a quarter to a third of a test-width step
 * went unseen.)
 */
public final class StepProfile {
  /** A part's samples and the wall time they stand for. */
  public record Part(String name, int samples, double seconds) {}

  /**
   * @param seconds   wall time of the profiled steps, measured around them
   * @param coverage  the parts' time over the measured time: near 1 when the sampler kept up
   */
  public record Profile(double seconds, int steps, int samples, double coverage, List<Part> parts) {
    /** The parts' time, in seconds, that no part of the network claimed. */
    public double unattributedSeconds() {
      return parts.stream().filter(p -> p.name().startsWith("other")).mapToDouble(Part::seconds).sum();
    }

    public String describe() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.1f ms per step, %d samples (the parts add up "
          + "to %.0f %% of the measured time):", 1000 * seconds / steps, samples, 100 * coverage));
      double sampled = parts.stream().mapToDouble(Part::seconds).sum();
      for (Part p : parts) {
        sb.append(String.format(Locale.ROOT, "%n    %-36s %7.1f ms  %5.1f %%", p.name(), 1000 * p.seconds() / steps,
            100 * p.seconds() / Math.max(1e-12, sampled)));
      }
      return sb.toString();
    }
  }

  static final long PERIOD_MILLIS = 5;

  /** Which class of frame names which part; the first frame from the top of the stack that matches decides. */
  private static final Map<String, String> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("org.deeplearning4j.nn.layers.convolution.ConvolutionLayer", "CNN convolutions");
    PARTS.put("ai.mesm.model.layers.CachedConvolutionLayer", "CNN convolutions");
    PARTS.put("ai.mesm.model.layers.BatchNormReluLayer", "CNN BatchNorm + ReLU");
    PARTS.put("ai.mesm.model.layers.MaxPool2x2Vertex", "CNN max-pool");
    // The frozen graph's whole CNN (or MESM's stem) in one native pass where the kernel runs.
    PARTS.put("ai.mesm.model.layers.FoldedCnnVertex", "CNN folded, native");
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
  public static Profile of(Runnable step, int steps) throws InterruptedException {
    step.run();
    RunningLayer.listen(true);
    long t0 = System.nanoTime();
    Sampler sampler = new Sampler(Thread.currentThread(), t0);
    Thread thread = new Thread(sampler, "mesm-step-profile");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
    double seconds;
    try {
      for (int i = 0; i < steps; i++) step.run();
      seconds = (System.nanoTime() - t0) / 1e9;
    } finally {
      sampler.running = false;
      thread.join();
      RunningLayer.listen(false);
    }
    List<Part> parts = new ArrayList<>();
    sampler.nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(c -> parts.add(new Part(c.getKey(), sampler.counts.get(c.getKey()), c.getValue() / 1e9)));
    double sampled = parts.stream().mapToDouble(Part::seconds).sum();
    return new Profile(seconds, steps, sampler.samples, sampled / seconds, parts);
  }

  /**
   * Takes the target's stack every period until stopped; each sample stands for the wall time since
   * the one before (so a late sample, on a busy machine, still counts the time it missed).
   */
  private static final class Sampler implements Runnable {
    final Thread target;
    final Map<String, Integer> counts = new LinkedHashMap<>();
    final Map<String, Long> nanos = new LinkedHashMap<>();
    final long from;
    volatile boolean running = true;
    int samples;

    Sampler(Thread target, long from) {
      this.target = target;
      this.from = from;
    }

    @Override
    public void run() {
      long last = from;
      long period = PERIOD_MILLIS * 1_000_000;
      while (running) {
        LockSupport.parkNanos(last + period - System.nanoTime());
        // The layer noted before and after the stack: the thread may cross into the next layer meanwhile.
        Object before = RunningLayer.of(target);
        StackTraceElement[] stack = target.getStackTrace();
        Object after = RunningLayer.of(target);
        long now = System.nanoTime();
        if (!running) break; // the steps ended while this sample was taken: it would be the caller's time
        String part = part(stack, before, after);
        samples++;
        counts.merge(part, 1, Integer::sum);
        nanos.merge(part, now - last, Long::sum);
        last = now;
      }
    }
  }

  /**
   * The part a sampled stack belongs to, with the network it serves where a layer the thread noted
   * just before or just after the stack was taken is of that same part, and "forward" or
   * "backward" where the network has both.
   */
  static String part(StackTraceElement[] stack, Object before, Object after) {
    boolean backward = false;
    String part = null;
    for (StackTraceElement f : stack) {
      String method = f.getMethodName();
      if (method.equals("backpropGradient") || method.equals("doBackward") || method.equals("calcBackpropGradients")) {
        backward = true;
      }
      if (part == null) part = PARTS.get(f.getClassName());
    }
    if (part == null) return backward ? "other, backward" : "other";
    if (UNDIRECTED.contains(part)) return part;
    Object layer = before != null && part.equals(partOf(before.getClass())) ? before
        : after != null && part.equals(partOf(after.getClass())) ? after : null;
    String network = layer == null ? null : network(layer);
    return part + (network == null ? "" : " (" + network + ")") + (backward ? ", backward" : ", forward");
  }

  /** The part a layer class (or a class it extends) belongs to, or null. */
  private static String partOf(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      String part = PARTS.get(c.getName());
      if (part != null) return part;
    }
    return null;
  }

  /** The network a layer or vertex belongs to: its name up to the first '_' ("visual_conv2" is the visual CNN's). */
  private static String network(Object layer) {
    String name = layer instanceof org.deeplearning4j.nn.graph.vertex.GraphVertex v ? v.getVertexName()
        : layer instanceof org.deeplearning4j.nn.api.Layer l ? l.conf().getLayer().getLayerName() : null;
    if (name == null || name.indexOf('_') <= 0) return null;
    return name.substring(0, name.indexOf('_'));
  }
}
