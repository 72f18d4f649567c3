package ai.mesm.media.face;

import ai.mesm.config.ConfigKeys;
import ai.mesm.io.SafetensorsFile;
import java.io.IOException;
import java.io.InputStream;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import java.nio.file.Path;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The three MTCNN networks (P-Net, R-Net, O-Net) as in facenet-pytorch: convolutions and dense
 * layers on ND4J, PReLU per channel, max-pooling with ceil mode. Inputs are NCHW float arrays
 * already normalised to (x − 127.5) / 128.
 */
final class MtcnnNets {
  private final SafetensorsFile p;
  private final SafetensorsFile r;
  private final SafetensorsFile o;
  /** The same networks on the native layers; null where they are unavailable or not chosen. */
  private final NativeMtcnnNets fast;

  /** Where the shipped weights live on the class path (with their licence, LICENSE, beside them). */
  static final String SHIPPED = "/ai/mesm/media/face/mtcnn/";
  /** The shipped files are ~2 MB together; a resource larger than this is not ours. */
  private static final int MAX_SHIPPED_BYTES = 8 << 20;

  private MtcnnNets(SafetensorsFile p, SafetensorsFile r, SafetensorsFile o, NativeMtcnnNets fast) {
    this.p = p;
    this.r = r;
    this.o = o;
    this.fast = fast;
  }

  private static MtcnnNets laidOut(SafetensorsFile p, SafetensorsFile r, SafetensorsFile o) throws IOException {
    return new MtcnnNets(p, r, o, MtcnnKernels.available() ? new NativeMtcnnNets(p, r, o) : null);
  }

  /** The same weights on ND4J's layers (the path before the native layers, and where they do not load). */
  MtcnnNets onNd4j() {
    return new MtcnnNets(p, r, o, null);
  }

  /** The same weights and native layout with output buffers of its own, for another detector. */
  private MtcnnNets withOwnBuffers() {
    return new MtcnnNets(p, r, o, fast == null ? null : new NativeMtcnnNets(fast));
  }

  /**
   * A network's outputs as plain floats (the detector reads them so; ND4J arrays between the native
   * layers and the detector were ~12 % of a tracked search): R-Net's and O-Net's per box,
   * P-Net's per cell of its h × w map, the regression as 4 planes of it.
   *
   * @param landmarks O-Net's [N,10]; null for the others
   */
  record Heads(float[] regression, float[] probability, float[] landmarks, int h, int w) {}

  /**
   * These networks on the layers mesm.media.face.mtcnn.kernels names: auto = native where they
   * load, else ND4J's; native = an error where they do not load; nd4j = ND4J's.
   */
  MtcnnNets withKernels(String setting) throws IOException {
    switch (setting) {
      case "auto":
        return this;
      case "nd4j":
        return onNd4j();
      case "native":
        if (fast == null) {
          throw new IllegalStateException("the native MTCNN layers are unavailable: " + MtcnnKernels.unavailableReason()
              + " (build with a C compiler on x86-64 Linux, or set " + ConfigKeys.MTCNN_KERNELS + " = nd4j)");
        }
        return this;
      default:
        throw new IllegalArgumentException(ConfigKeys.MTCNN_KERNELS + " must be auto, native or nd4j, not '" + setting + "'");
    }
  }

  /** The native kernel's instruction-set level these networks run at, 0 on ND4J's layers. */
  int nativeLevel() {
    return fast != null ? MtcnnKernels.level() : 0;
  }

  /** Which layers run: "native (avx512)", or "nd4j" with the reason. */
  String describe() {
    if (fast != null) return "native (" + MtcnnKernels.levelName() + ")";
    return MtcnnKernels.available() ? "nd4j (chosen)" : "nd4j (native layers unavailable: " + MtcnnKernels.unavailableReason() + ")";
  }

  /** The three networks' files, in P-, R-, O-Net order, wherever the weights come from. */
  static final String[] FILES = {"pnet.safetensors", "rnet.safetensors", "onet.safetensors"};

  /** Reads one of {@link #FILES} by name. */
  interface Source {
    SafetensorsFile read(String file) throws IOException;
  }

  static MtcnnNets read(Source source) throws IOException {
    return laidOut(source.read(FILES[0]), source.read(FILES[1]), source.read(FILES[2]));
  }

  /** The weights in a local folder holding pnet/rnet/onet.safetensors. */
  static MtcnnNets fromFolder(Path dir) throws IOException {
    return read(file -> SafetensorsFile.read(dir.resolve(file)));
  }

  /** The shipped weights, read and laid out once per JVM (each ingest or scoring task used to read them again). */
  private static MtcnnNets shippedLaidOut;

  /** The facenet-pytorch weights shipped inside the pipeline jar, with output buffers of their own. */
  static MtcnnNets shipped() throws IOException {
    synchronized (MtcnnNets.class) {
      if (shippedLaidOut == null) shippedLaidOut = read(MtcnnNets::resource);
    }
    return shippedLaidOut.withOwnBuffers();
  }

  private static SafetensorsFile resource(String name) throws IOException {
    String location = SHIPPED + name;
    try (InputStream in = MtcnnNets.class.getResourceAsStream(location)) {
      if (in == null) throw new IOException("the shipped MTCNN weights " + location + " are not on the class path");
      byte[] bytes = in.readNBytes(MAX_SHIPPED_BYTES + 1);
      if (bytes.length > MAX_SHIPPED_BYTES) throw new IOException(location + ": larger than the shipped weights");
      return SafetensorsFile.read(bytes, "classpath:" + location);
    }
  }

  /**
   * @param nhwc normalised pixels [n, h, w, 3], (x − 127.5) / 128, in its first n·h·w·3 values
   * @return regression [N,4,H,W] and face probability [N,H,W]
   */
  Heads pnet(float[] nhwc, int n, int h, int w) throws IOException {
    if (fast != null) return fast.pnet(new MtcnnKernels.Act(nhwc, n, h, w, 3));
    INDArray[] out = pnet(nchw(nhwc, n, h, w));
    return new Heads(floats(out[0]), floats(out[1]), null, (int) out[1].size(1), (int) out[1].size(2));
  }

  /** @return regression [N,4] and face probability [N] for n crops [n, 24, 24, 3] */
  Heads rnet(float[] nhwc, int n) throws IOException {
    if (fast != null) return fast.rnet(new MtcnnKernels.Act(nhwc, n, 24, 24, 3));
    INDArray[] out = rnet(nchw(nhwc, n, 24, 24));
    return new Heads(floats(out[0]), floats(out[1]), null, 0, 0);
  }

  /** @return regression [N,4], face probability [N] and landmarks [N,10] for n crops [n, 48, 48, 3] */
  Heads onet(float[] nhwc, int n) throws IOException {
    if (fast != null) return fast.onet(new MtcnnKernels.Act(nhwc, n, 48, 48, 3));
    INDArray[] out = onet(nchw(nhwc, n, 48, 48));
    return new Heads(floats(out[0]), floats(out[2]), floats(out[1]), 0, 0);
  }

  /** ND4J's layers take NCHW; {@code nhwc} may be a longer, reused buffer. */
  private static INDArray nchw(float[] nhwc, int n, int h, int w) {
    float[] out = new float[n * h * w * 3];
    int plane = h * w;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < plane; i++) {
        int from = (b * plane + i) * 3;
        for (int c = 0; c < 3; c++) out[(b * 3 + c) * plane + i] = nhwc[from + c];
      }
    }
    return array(out, n, 3, h, w);
  }

  private INDArray[] pnet(INDArray x) throws IOException {
    x = preluPool(conv(x, p, "conv1"), p.get("prelu1.weight"), 2, 2);
    x = prelu(conv(x, p, "conv2"), p.get("prelu2.weight"));
    x = prelu(conv(x, p, "conv3"), p.get("prelu3.weight"));
    INDArray logits = conv(x, p, "conv4_1");
    INDArray reg = conv(x, p, "conv4_2");
    return new INDArray[] {reg, faceProbability(logits)};
  }

  private INDArray[] rnet(INDArray x) throws IOException {
    x = preluPool(conv(x, r, "conv1"), r.get("prelu1.weight"), 3, 2);
    x = preluPool(conv(x, r, "conv2"), r.get("prelu2.weight"), 3, 2);
    x = prelu(conv(x, r, "conv3"), r.get("prelu3.weight"));
    x = flattenCaffeOrder(x);
    x = prelu(dense(x, r, "dense4"), r.get("prelu4.weight"));
    return new INDArray[] {dense(x, r, "dense5_2"), faceProbability(dense(x, r, "dense5_1"))};
  }

  private INDArray[] onet(INDArray x) throws IOException {
    x = preluPool(conv(x, o, "conv1"), o.get("prelu1.weight"), 3, 2);
    x = preluPool(conv(x, o, "conv2"), o.get("prelu2.weight"), 3, 2);
    x = preluPool(conv(x, o, "conv3"), o.get("prelu3.weight"), 2, 2);
    x = prelu(conv(x, o, "conv4"), o.get("prelu4.weight"));
    x = flattenCaffeOrder(x);
    x = prelu(dense(x, o, "dense5"), o.get("prelu5.weight"));
    return new INDArray[] {dense(x, o, "dense6_2"), dense(x, o, "dense6_3"), faceProbability(dense(x, o, "dense6_1"))};
  }

  private static INDArray conv(INDArray x, SafetensorsFile net, String name) throws IOException {
    INDArray w = net.get(name + ".weight");
    Conv2DConfig config = Conv2DConfig.builder().kH(w.size(2)).kW(w.size(3)).sH(1).sW(1)
        .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX).build();
    return Nd4j.cnn().conv2d(x, w, net.get(name + ".bias"), config);
  }

  static INDArray dense(INDArray x, SafetensorsFile net, String name) throws IOException {
    return x.mmul(net.get(name + ".weight").transpose()).addiRowVector(net.get(name + ".bias"));
  }

  /** The weights come from a Caffe original: flatten as (N, W, H, C), i.e. permute(0, 3, 2, 1). */
  private static INDArray flattenCaffeOrder(INDArray x) {
    return x.permute(0, 3, 2, 1).dup('c').reshape(x.size(0), x.length() / x.size(0));
  }

  /** Softmax over the two classes, index 1 = face: 1 / (1 + e^(l0 − l1)). */
  static INDArray faceProbability(INDArray logits) {
    if (logits.rank() == 4) {
      INDArray d = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
          .sub(logits.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
      return Transforms.sigmoid(d.negi(), false);
    }
    INDArray d = logits.getColumn(0).sub(logits.getColumn(1));
    return Transforms.sigmoid(d.negi(), false);
  }

  static INDArray prelu(INDArray x, INDArray alpha) {
    return array(preluValues(x, alpha), x.shape());
  }

  /** PReLU then {@link #maxPoolCeil}, in one copy out of ND4J and one back. */
  private static INDArray preluPool(INDArray x, INDArray alpha, int k, int s) {
    return maxPoolCeil(preluValues(x, alpha), (int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3), k, s);
  }

  /** x's values (NCHW or [N, C]) with PReLU applied. */
  private static float[] preluValues(INDArray x, INDArray alpha) {
    float[] v = floats(x);
    preluInPlace(v, alpha.toFloatVector(), x.size(1), x.length() / (x.size(0) * x.size(1)));
    return v;
  }

  /**
   * Per-channel PReLU over an NCHW array: max(x, 0) + slope · min(x, 0), which equals "negative
   * values times the slope" (up to the sign of a zero) and, unlike the branch on the sign, which
   * mispredicts on half the values, vectorises.
   */
  private static void preluInPlace(float[] v, float[] slope, long channels, long inner) {
    int plane = (int) inner;
    for (int base = 0, ch = 0; base < v.length; base += plane, ch = (int) ((ch + 1) % channels)) {
      float a = slope[ch];
      for (int i = base; i < base + plane; i++) {
        float x = v[i];
        v[i] = Math.max(x, 0f) + a * Math.min(x, 0f);
      }
    }
  }

  /** PyTorch MaxPool2d(k, s, ceil_mode=True): windows may hang over the edge; a last window starting past it is dropped. */
  static INDArray maxPoolCeil(INDArray x, int k, int s) {
    return maxPoolCeil(floats(x), (int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3), k, s);
  }

  /**
   * Separable: per output row, the maximum over the window's rows for every column (a loop over a
   * contiguous row that the JIT vectorises), then each window's maximum across its columns.
   * Math.max on floats is a chain of several dependent instructions, so the direct form (nine
   * maxima chained per output) waited on latency and took twice as long; a branch instead of
   * Math.max mispredicts on activations and is slower still.
   */
  private static INDArray maxPoolCeil(float[] in, int n, int c, int h, int w, int k, int s) {
    int oh = pooledSize(h, k, s);
    int ow = pooledSize(w, k, s);
    float[] out = new float[n * c * oh * ow];
    float[] col = new float[w];
    for (int b = 0; b < n * c; b++) {
      int inBase = b * h * w;
      int outBase = b * oh * ow;
      for (int i = 0; i < oh; i++) {
        int y0 = i * s;
        int y1 = Math.min(y0 + k, h);
        System.arraycopy(in, inBase + y0 * w, col, 0, w);
        for (int y = y0 + 1; y < y1; y++) {
          int row = inBase + y * w;
          for (int x = 0; x < w; x++) col[x] = Math.max(col[x], in[row + x]);
        }
        int o = outBase + i * ow;
        for (int j = 0; j < ow; j++) {
          int x0 = j * s;
          int x1 = Math.min(x0 + k, w);
          float m = col[x0];
          for (int x = x0 + 1; x < x1; x++) m = Math.max(m, col[x]);
          out[o + j] = m;
        }
      }
    }
    return array(out, n, c, oh, ow);
  }

  /**
   * The values of x in C order (a fresh C-order array, as an op's output, is read in place). One bulk copy: ND4J's asFloat() and Nd4j.create(float[]) go
   * element by element through bounds-checked indexers, which took most of MTCNN's time.
   */
  static float[] floats(INDArray x) {
    INDArray c = x.ordering() == 'c' && !x.isView() && x.offset() == 0 ? x : x.dup('c');
    float[] out = new float[(int) c.length()];
    new FloatPointer(c.data().addressPointer()).get(out, 0, out.length);
    return out;
  }

  /** A new C-order float array holding v (one bulk copy). */
  static INDArray array(float[] v, long... shape) {
    INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    new FloatPointer(a.data().addressPointer()).put(v, 0, v.length);
    return a;
  }

  static int pooledSize(int size, int k, int s) {
    int out = (int) Math.ceil((size - k) / (double) s) + 1;
    if ((out - 1) * s >= size) out--;
    return out;
  }
}
