package ai.mesm.model.layers;

import ai.mesm.model.FeatureCnn;
import ai.mesm.model.sparse.NativeArrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A folded CNN's weights and biases in the order the native inference kernel reads them
 * ({@code pipeline/src/main/c/mesm_cnn_infer.h}): channels padded to multiples of 16 (the input of
 * the first convolution excepted) with zeros, so padded channels stay 0 through every layer; per
 * convolution and per block of 64, 32 or 16 output channels, [tap][input channel][block's channels],
 * the block's weights for one input value being one run of vectors.
 */
final class PackedCnnWeights {
  private final INDArray weights;
  private final INDArray bias;

  private PackedCnnWeights(INDArray weights, INDArray bias) {
    this.weights = weights;
    this.bias = bias;
  }

  /** From {@link FoldedCnn}'s parameter table (weights [cout, cin, k, k], biases [1, cout]) of {@code layers}. */
  static PackedCnnWeights of(Map<String, INDArray> params, List<FeatureCnn.Layer> layers, int inChannels) {
    long weightCount = 0;
    long biasCount = 0;
    int cin = inChannels;
    int stride = inChannels;
    for (FeatureCnn.Layer l : layers) {
      if (l.isPool()) continue;
      int cs = padded(l.outChannels());
      weightCount += (long) l.kernel() * l.kernel() * stride * cs;
      biasCount += cs;
      cin = l.outChannels();
      stride = padded(cin);
    }
    float[] w = new float[Math.toIntExact(weightCount)];
    float[] b = new float[Math.toIntExact(biasCount)];
    int wAt = 0;
    int bAt = 0;
    cin = inChannels;
    stride = inChannels;
    for (int i = 0; i < layers.size(); i++) {
      FeatureCnn.Layer l = layers.get(i);
      if (l.isPool()) continue;
      int k = l.kernel();
      int cout = l.outChannels();
      int cs = padded(cout);
      float[] src = params.get(FoldedCnn.weightName(i)).dup('c').data().asFloat(); // [cout][cin][k][k]
      float[] bias = params.get(FoldedCnn.biasName(i)).dup('c').data().asFloat();
      for (int block = 0, width; block < cs; block += width) {
        width = blockWidth(cs - block);
        for (int t = 0; t < k * k; t++) {
          for (int c = 0; c < stride; c++) {
            for (int j = 0; j < width; j++) {
              int o = block + j;
              w[wAt++] = o < cout && c < cin ? src[(o * cin + c) * k * k + t] : 0f;
            }
          }
        }
      }
      System.arraycopy(bias, 0, b, bAt, cout);
      bAt += cs;
      cin = cout;
      stride = cs;
    }
    // Outside any workspace: the arrays outlive the forward pass that may build them.
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return new PackedCnnWeights(DenseArrays.of(w, w.length), DenseArrays.of(b, b.length));
    }
  }

  /** Output channels in the next block: 64, else 32, else 16 (the kernel's ci_block). */
  private static int blockWidth(int remaining) {
    return remaining >= 64 ? 64 : remaining >= 32 ? 32 : 16;
  }

  private static int padded(int channels) {
    return (channels + 15) / 16 * 16;
  }

  long weightsAt() {
    return NativeArrays.address(weights);
  }

  long biasAt() {
    return NativeArrays.address(bias);
  }
}
