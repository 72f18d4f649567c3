package ai.mesm.media.face;

import ai.mesm.io.SafetensorsFile;
import ai.mesm.media.face.MtcnnKernels.Act;
import ai.mesm.media.face.MtcnnKernels.Conv;
import java.io.IOException;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * P-Net, R-Net and O-Net on the native layers ({@link MtcnnKernels}): the same networks and
 * outputs as {@link MtcnnNets}' ND4J path, with the weights laid out once for the kernels. The
 * convolution stacks run in NHWC with padded channels; the first dense layer's rows are reordered
 * to read that layout directly (the Caffe original flattens as (W, H, C)), and the dense layers
 * run on the same kernel as 1×1 convolutions over the boxes ({@link Dense}). Each layer writes into a buffer of its own kept from call to call (grown when a call needs
 * more), so a search allocates no activations: fresh arrays were ~60 % of an ingest's allocation
 * and kept the heap growing into new memory. Not thread-safe, as its detector (one per task).
 */
final class NativeMtcnnNets {
  private final Conv p1;
  private final Conv p2;
  private final Conv p3;
  /** conv4_1 (2 face logits) and conv4_2 (4 box offsets) as one 1x1 layer of 6 outputs, no PReLU. */
  private final Conv pHead;
  private final Conv r1;
  private final Conv r2;
  private final Conv r3;
  private final Dense rDense;
  private final Dense rRegression;
  private final Dense rLogits;
  private final Conv o1;
  private final Conv o2;
  private final Conv o3;
  private final Conv o4;
  private final Dense oDense;
  private final Dense oRegression;
  private final Dense oLandmarks;
  private final Dense oLogits;
  /** One output buffer per layer call site below (P-Net 0–4, R-Net 5–9, O-Net 10–16). */
  private final float[][] buffers = new float[17][];

  NativeMtcnnNets(SafetensorsFile p, SafetensorsFile r, SafetensorsFile o) throws IOException {
    p1 = conv(p, "conv1", "prelu1", 3);
    p2 = conv(p, "conv2", "prelu2", p1.cp());
    p3 = conv(p, "conv3", "prelu3", p2.cp());
    pHead = head(p, p3.cp());
    r1 = conv(r, "conv1", "prelu1", 3);
    r2 = conv(r, "conv2", "prelu2", r1.cp());
    r3 = conv(r, "conv3", "prelu3", r2.cp());
    rDense = new Dense(denseForLayout(r.get("dense4.weight"), 3, 3, 64, r3.cp()), r.get("dense4.bias").toFloatVector(),
        r.get("prelu4.weight").toFloatVector());
    rRegression = Dense.of(r, "dense5_2");
    rLogits = Dense.of(r, "dense5_1");
    o1 = conv(o, "conv1", "prelu1", 3);
    o2 = conv(o, "conv2", "prelu2", o1.cp());
    o3 = conv(o, "conv3", "prelu3", o2.cp());
    o4 = conv(o, "conv4", "prelu4", o3.cp());
    oDense = new Dense(denseForLayout(o.get("dense5.weight"), 3, 3, 128, o4.cp()), o.get("dense5.bias").toFloatVector(),
        o.get("prelu5.weight").toFloatVector());
    oRegression = Dense.of(o, "dense6_2");
    oLandmarks = Dense.of(o, "dense6_3");
    oLogits = Dense.of(o, "dense6_1");
  }

  /**
   * The same laid-out layers (immutable, shared) with output buffers of its own: the layout is made
   * once per set of weights, a buffer set once per detector.
   */
  NativeMtcnnNets(NativeMtcnnNets layers) {
    p1 = layers.p1;
    p2 = layers.p2;
    p3 = layers.p3;
    pHead = layers.pHead;
    r1 = layers.r1;
    r2 = layers.r2;
    r3 = layers.r3;
    rDense = layers.rDense;
    rRegression = layers.rRegression;
    rLogits = layers.rLogits;
    o1 = layers.o1;
    o2 = layers.o2;
    o3 = layers.o3;
    o4 = layers.o4;
    oDense = layers.oDense;
    oRegression = layers.oRegression;
    oLandmarks = layers.oLandmarks;
    oLogits = layers.oLogits;
  }

  /** Regression [N,4,H,W] and face probability [N,H,W], as {@link MtcnnNets#pnet}. */
  MtcnnNets.Heads pnet(Act pixels) {
    Act x = pool(conv(pixels, p1, 0), 2, 2, 1);
    x = conv(conv(x, p2, 2), p3, 3);
    Act head = conv(x, pHead, 4);
    int plane = head.h() * head.w();
    float[] reg = new float[head.n() * 4 * plane];
    float[] prob = new float[head.n() * plane];
    for (int b = 0; b < head.n(); b++) {
      for (int i = 0; i < plane; i++) {
        int at = (b * plane + i) * head.c();
        prob[b * plane + i] = faceProbability(head.v()[at], head.v()[at + 1]);
        for (int j = 0; j < 4; j++) reg[(b * 4 + j) * plane + i] = head.v()[at + 2 + j];
      }
    }
    return new MtcnnNets.Heads(reg, prob, null, head.h(), head.w());
  }

  /** Regression [N,4] and face probability [N], as {@link MtcnnNets#rnet}. */
  MtcnnNets.Heads rnet(Act pixels) {
    Act x = pool(conv(pixels, r1, 5), 3, 2, 6);
    x = pool(conv(x, r2, 7), 3, 2, 8);
    x = conv(x, r3, 9);
    float[] h = rDense.apply(x.v(), x.n());
    return new MtcnnNets.Heads(rRegression.apply(h, x.n()), faceProbability(rLogits.apply(h, x.n())), null, 0, 0);
  }

  /** Regression [N,4], face probability [N] and landmarks [N,10], as {@link MtcnnNets#onet}. */
  MtcnnNets.Heads onet(Act pixels) {
    Act x = pool(conv(pixels, o1, 10), 3, 2, 11);
    x = pool(conv(x, o2, 12), 3, 2, 13);
    x = pool(conv(x, o3, 14), 2, 2, 15);
    x = conv(x, o4, 16);
    float[] h = oDense.apply(x.v(), x.n());
    return new MtcnnNets.Heads(oRegression.apply(h, x.n()), faceProbability(oLogits.apply(h, x.n())),
        oLandmarks.apply(h, x.n()), 0, 0);
  }

  private Act conv(Act x, Conv c, int buffer) {
    Act y = MtcnnKernels.convPrelu(x, c, buffers[buffer]);
    buffers[buffer] = y.v();
    return y;
  }

  private Act pool(Act x, int k, int s, int buffer) {
    Act y = MtcnnKernels.maxPool(x, k, s, buffers[buffer]);
    buffers[buffer] = y.v();
    return y;
  }

  /** Softmax over two logits per row, index 1 = face, as {@link MtcnnNets#faceProbability}. */
  private static float[] faceProbability(float[] logits) {
    float[] p = new float[logits.length / 2];
    for (int i = 0; i < p.length; i++) p[i] = faceProbability(logits[2 * i], logits[2 * i + 1]);
    return p;
  }

  private static float faceProbability(float notFace, float face) {
    return (float) (1 / (1 + Math.exp(notFace - face)));
  }

  /**
   * A dense layer, weights [in][out], bias, and PReLU slopes (null: none), run as the native
   * kernel's 1×1 convolution over a row of boxes, [1, 1, rows, in] → [1, 1, rows, out padded to 16].
   * Each box's outputs are summed over its inputs in order in lanes of its own, so they do not
   * depend on how many boxes share the call. (As a Java loop R-Net's first dense layer took 0.7 ms
   * for 26 boxes and O-Net's 1.0 ms for 9; as ND4J calls more, in set-up.)
   */
  static final class Dense {
    private final Conv conv;
    private final int out;

    Dense(float[] weights, float[] bias, float[] slope) {
      out = bias.length;
      int in = weights.length / out;
      int cp = MtcnnKernels.padded(out);
      float[] padded = new float[in * cp];
      for (int i = 0; i < in; i++) System.arraycopy(weights, i * out, padded, i * cp, out);
      float[] slopes = Arrays.copyOf(slope == null ? identitySlopes(out) : slope, cp);
      conv = new Conv(padded, 1, in, cp, Arrays.copyOf(bias, cp), slopes);
    }

    /** A PyTorch Linear's weight [out, in] and bias, without PReLU. */
    static Dense of(SafetensorsFile net, String name) throws IOException {
      INDArray w = net.get(name + ".weight");
      return new Dense(MtcnnNets.floats(w.transpose().dup('c')), net.get(name + ".bias").toFloatVector(), null);
    }

    /** The first {@code rows} rows of {@code x} (a buffer that may be longer): [rows][out]. */
    float[] apply(float[] x, int rows) {
      int in = conv.cin();
      if (x.length < (long) rows * in) throw new IllegalArgumentException(x.length + " inputs for " + rows + " rows of " + in);
      if (rows == 0) return new float[0];
      float[] y = MtcnnKernels.convPrelu(new Act(x, 1, 1, rows, in), conv).v();
      if (conv.cp() == out) return y;
      float[] compact = new float[rows * out];
      for (int b = 0; b < rows; b++) System.arraycopy(y, b * conv.cp(), compact, b * out, out);
      return compact;
    }
  }

  /** PReLU slopes of 1: the identity, for the layers without an activation. */
  private static float[] identitySlopes(int n) {
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    return ones;
  }

  /** OIYX weights [cout, cin, k, k] into [ky][kx][inputChannels][cp], zero where padded. */
  private static Conv conv(SafetensorsFile net, String conv, String prelu, int inputChannels) throws IOException {
    INDArray slope = net.get(prelu + ".weight");
    return layout(net.get(conv + ".weight"), net.get(conv + ".bias"), slope.toFloatVector(), inputChannels);
  }

  private static Conv head(SafetensorsFile p, int inputChannels) throws IOException {
    INDArray w = org.nd4j.linalg.factory.Nd4j.concat(0, p.get("conv4_1.weight"), p.get("conv4_2.weight"));
    INDArray b = org.nd4j.linalg.factory.Nd4j.concat(0, p.get("conv4_1.bias"), p.get("conv4_2.bias"));
    return layout(w, b, identitySlopes((int) w.size(0)), inputChannels);
  }

  private static Conv layout(INDArray w, INDArray bias, float[] slope, int inputChannels) {
    int cout = (int) w.size(0);
    int cin = (int) w.size(1);
    int k = (int) w.size(2);
    int cp = MtcnnKernels.padded(cout);
    float[] src = MtcnnNets.floats(w);
    float[] dst = new float[k * k * inputChannels * cp];
    for (int co = 0; co < cout; co++) {
      for (int ci = 0; ci < cin; ci++) {
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            dst[((ky * k + kx) * inputChannels + ci) * cp + co] = src[((co * cin + ci) * k + ky) * k + kx];
          }
        }
      }
    }
    return new Conv(dst, k, inputChannels, cp, Arrays.copyOf(bias.toFloatVector(), cp), Arrays.copyOf(slope, cp));
  }

  /**
   * The first dense layer's weights [out, in] (in over the Caffe flatten (x, y, c)) as [h·w·cp, out]
   * over the kernels' (y, x, c-padded) layout, zero rows for the padding.
   */
  private static float[] denseForLayout(INDArray weight, int h, int w, int c, int cp) {
    int out = (int) weight.size(0);
    float[] src = MtcnnNets.floats(weight);
    float[] dst = new float[h * w * cp * out];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < c; ch++) {
          int from = (x * h + y) * c + ch;
          int to = (y * w + x) * cp + ch;
          for (int o = 0; o < out; o++) dst[to * out + o] = src[o * (h * w * c) + from];
        }
      }
    }
    return dst;
  }
}
