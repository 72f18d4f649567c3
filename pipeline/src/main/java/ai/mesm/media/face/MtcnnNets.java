package ai.mesm.media.face;

import ai.mesm.io.SafetensorsFile;
import java.io.IOException;
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

  MtcnnNets(Path dir) throws IOException {
    p = SafetensorsFile.read(dir.resolve("pnet.safetensors"));
    r = SafetensorsFile.read(dir.resolve("rnet.safetensors"));
    o = SafetensorsFile.read(dir.resolve("onet.safetensors"));
  }

  /** @return {regression [N,4,H,W], face probability [N,H,W]} */
  INDArray[] pnet(INDArray x) throws IOException {
    x = prelu(conv(x, p, "conv1"), p.get("prelu1.weight"));
    x = maxPoolCeil(x, 2, 2);
    x = prelu(conv(x, p, "conv2"), p.get("prelu2.weight"));
    x = prelu(conv(x, p, "conv3"), p.get("prelu3.weight"));
    INDArray logits = conv(x, p, "conv4_1");
    INDArray reg = conv(x, p, "conv4_2");
    return new INDArray[] {reg, faceProbability(logits)};
  }

  /** @return {regression [N,4], face probability [N]} */
  INDArray[] rnet(INDArray x) throws IOException {
    x = prelu(conv(x, r, "conv1"), r.get("prelu1.weight"));
    x = maxPoolCeil(x, 3, 2);
    x = prelu(conv(x, r, "conv2"), r.get("prelu2.weight"));
    x = maxPoolCeil(x, 3, 2);
    x = prelu(conv(x, r, "conv3"), r.get("prelu3.weight"));
    x = flattenCaffeOrder(x);
    x = prelu(dense(x, r, "dense4"), r.get("prelu4.weight"));
    return new INDArray[] {dense(x, r, "dense5_2"), faceProbability(dense(x, r, "dense5_1"))};
  }

  /** @return {regression [N,4], landmarks [N,10], face probability [N]} */
  INDArray[] onet(INDArray x) throws IOException {
    x = prelu(conv(x, o, "conv1"), o.get("prelu1.weight"));
    x = maxPoolCeil(x, 3, 2);
    x = prelu(conv(x, o, "conv2"), o.get("prelu2.weight"));
    x = maxPoolCeil(x, 3, 2);
    x = prelu(conv(x, o, "conv3"), o.get("prelu3.weight"));
    x = maxPoolCeil(x, 2, 2);
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

  private static INDArray dense(INDArray x, SafetensorsFile net, String name) throws IOException {
    return x.mmul(net.get(name + ".weight").transpose()).addiRowVector(net.get(name + ".bias"));
  }

  /** The weights come from a Caffe original: flatten as (N, W, H, C), i.e. permute(0, 3, 2, 1). */
  private static INDArray flattenCaffeOrder(INDArray x) {
    return x.permute(0, 3, 2, 1).dup('c').reshape(x.size(0), x.length() / x.size(0));
  }

  /** Softmax over the two classes, index 1 = face: 1 / (1 + e^(l0 − l1)). */
  private static INDArray faceProbability(INDArray logits) {
    if (logits.rank() == 4) {
      INDArray d = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
          .sub(logits.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
      return Transforms.sigmoid(d.negi(), false);
    }
    INDArray d = logits.getColumn(0).sub(logits.getColumn(1));
    return Transforms.sigmoid(d.negi(), false);
  }

  private static INDArray prelu(INDArray x, INDArray alpha) {
    float[] a = alpha.toFloatVector();
    float[] v = x.dup('c').data().asFloat();
    long channels = x.size(1);
    long inner = x.length() / (x.size(0) * channels);
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0) v[i] *= a[(int) ((i / inner) % channels)];
    }
    return Nd4j.create(v, x.shape(), 'c');
  }

  /** PyTorch MaxPool2d(k, s, ceil_mode=True): windows may hang over the edge; a last window starting past it is dropped. */
  static INDArray maxPoolCeil(INDArray x, int k, int s) {
    int n = (int) x.size(0);
    int c = (int) x.size(1);
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    int oh = pooledSize(h, k, s);
    int ow = pooledSize(w, k, s);
    float[] in = x.dup('c').data().asFloat();
    float[] out = new float[n * c * oh * ow];
    for (int b = 0; b < n * c; b++) {
      int inBase = b * h * w;
      int outBase = b * oh * ow;
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          float m = Float.NEGATIVE_INFINITY;
          for (int y = i * s; y < Math.min(i * s + k, h); y++) {
            for (int xx = j * s; xx < Math.min(j * s + k, w); xx++) m = Math.max(m, in[inBase + y * w + xx]);
          }
          out[outBase + i * ow + j] = m;
        }
      }
    }
    return Nd4j.create(out, new long[] {n, c, oh, ow}, 'c');
  }

  static int pooledSize(int size, int k, int s) {
    int out = (int) Math.ceil((size - k) / (double) s) + 1;
    if ((out - 1) * s >= size) out--;
    return out;
  }
}
