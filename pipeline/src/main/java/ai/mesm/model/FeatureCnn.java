package ai.mesm.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-frame visual CNN and per-chunk audio CNN of docs/computation.md#fe2e (same structure for both), as data:
 * conv5×5(→64, pad 2)+BN+ReLU, maxpool 2, VGG(64→64), VGG(64→64), VGG(64→128), maxpool 2,
 * VGG(128→256), maxpool 2, VGG(256→512), maxpool 2, where VGG = [conv3×3(pad 1)+BN+ReLU] × 2.
 * Model builders read the layers from here, and FLOPs are counted from the same list, so the
 * count cannot drift from the network.
 */
public final class FeatureCnn {
  /** One layer: a same-padded convolution (kernel, output channels) or a 2×2 max-pool (kernel 0). */
  public record Layer(int kernel, int outChannels) {
    public boolean isPool() {
      return kernel == 0;
    }
  }

  /** Number of leading layers MESM keeps dense (conv5×5, pool, VGG(64→64) ×2); the rest become sparse blocks. */
  public static final int MESM_DENSE_LAYERS = 6;

  public static final List<Layer> LAYERS = build();

  private FeatureCnn() {}

  private static List<Layer> build() {
    List<Layer> l = new ArrayList<>();
    l.add(new Layer(5, 64));
    l.add(pool());
    vgg(l, 64);
    vgg(l, 64);
    vgg(l, 128);
    l.add(pool());
    vgg(l, 256);
    l.add(pool());
    vgg(l, 512);
    l.add(pool());
    return List.copyOf(l);
  }

  /** The layers with every channel width divided by {@code divisor} (model.cnn.channel-divisor; 1 = the paper's). */
  public static List<Layer> layers(int divisor) {
    if (divisor < 1 || 64 % divisor != 0) throw new IllegalArgumentException("channel divisor must divide 64, got " + divisor);
    return LAYERS.stream().map(l -> l.isPool() ? l : new Layer(l.kernel(), l.outChannels() / divisor)).toList();
  }

  private static Layer pool() {
    return new Layer(0, 0);
  }

  private static void vgg(List<Layer> l, int channels) {
    l.add(new Layer(3, channels));
    l.add(new Layer(3, channels));
  }

  /** What running {@code layers} on a C×H×W input gives: the output shape and the convolutions' multiply-adds. */
  private record Walk(long macs, int channels, int height, int width) {}

  private static Walk walk(List<Layer> layers, int channels, int height, int width) {
    long total = 0;
    int c = channels;
    int h = height;
    int w = width;
    for (Layer layer : layers) {
      if (layer.isPool()) {
        h /= 2;
        w /= 2;
      } else {
        total += (long) h * w * layer.outChannels() * layer.kernel() * layer.kernel() * c;
        c = layer.outChannels();
      }
    }
    return new Walk(total, c, h, w);
  }

  /** Multiply-adds of the convolutions of {@code layers} on a C×H×W input (BN, ReLU and pooling not counted). */
  public static long macs(List<Layer> layers, int channels, int height, int width) {
    return walk(layers, channels, height, width).macs();
  }

  public static long macs(int channels, int height, int width) {
    return macs(LAYERS, channels, height, width);
  }

  /** The C, H, W after {@code layers}. */
  public static int[] outputShape(List<Layer> layers, int channels, int height, int width) {
    Walk w = walk(layers, channels, height, width);
    return new int[] {w.channels(), w.height(), w.width()};
  }

  /**
   * FE2E's feature-extraction cost of one utterance in GFLOPs (2 per multiply-add), as the paper's
   * Tables 3–4 count it: every frame (3×48×48) and every chunk (1×128×32) through the full CNN.
   */
  public static double fe2eGflops(int frames, int chunks) {
    return 2.0 * (frames * macs(3, 48, 48) + chunks * macs(1, 128, 32)) / 1e9;
  }

  /**
   * The feature-extraction cost of one utterance for a concrete model: only the modalities it
   * uses, its crop and chunk geometry and its channel widths. Equals {@link #fe2eGflops(int, int)}
   * for the paper's T+A+V network.
   */
  public static double fe2eGflops(ModelSpec spec, int frames, int chunks) {
    List<Layer> layers = layers(spec.channelDivisor());
    long macs = 0;
    if (spec.uses(Modality.VISUAL)) macs += frames * macs(layers, 3, spec.faceSize(), spec.faceSize());
    if (spec.uses(Modality.AUDIO)) macs += chunks * macs(layers, 1, spec.melBins(), spec.chunkFrames());
    return 2.0 * macs / 1e9;
  }
}
