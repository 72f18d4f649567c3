package ai.mesm.model;

import ai.mesm.data.Example;
import ai.mesm.model.text.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random, padded and masked model inputs for a {@link ModelSpec}, with chosen lengths per utterance. */
public final class RandomInputs {
  final INDArray[] features;
  final INDArray[] masks;
  final INDArray labels;

  /**
   * @param lengths per utterance, [tokens, chunks, frames]; 0 = modality missing
   * @param steps   padded length per modality (T, A, V), at least the longest
   */
  RandomInputs(ModelSpec spec, int[][] lengths, int[] steps, long seed, DataType type) {
    Random random = new Random(seed);
    int mb = lengths.length;
    List<INDArray> f = new ArrayList<>();
    List<INDArray> m = new ArrayList<>();
    for (Modality modality : spec.modalities()) {
      int k = modality.ordinal();
      int t = k == 0 ? spec.maxTokens() : steps[k];
      int width = switch (modality) {
        case TEXT -> 1;
        case AUDIO -> spec.audioFeatures();
        case VISUAL -> spec.visualFeatures();
      };
      INDArray x = k == 0 ? Nd4j.zeros(type, mb, t) : Nd4j.zeros(type, mb, width, t);
      INDArray mask = Nd4j.zeros(type, mb, t);
      for (int b = 0; b < mb; b++) {
        for (int s = 0; s < lengths[b][k]; s++) {
          mask.putScalar(b, s, 1);
          if (k == 0) {
            x.putScalar(b, s, 4 + random.nextInt(spec.vocabSize() - 4));
          } else {
            for (int j = 0; j < width; j++) x.putScalar(new long[] {b, j, s}, random.nextGaussian());
          }
        }
      }
      f.add(x);
      m.add(mask);
    }
    features = f.toArray(INDArray[]::new);
    masks = m.toArray(INDArray[]::new);
    labels = Nd4j.zeros(type, mb, spec.classes());
    for (int b = 0; b < mb; b++) for (int c = 0; c < spec.classes(); c++) labels.putScalar(b, c, random.nextInt(2));
  }

  /** A tiny spec for gradient checks, mask tests and saved models (16-px faces, 16×16 chunks, narrow CNN). */
  public static ModelSpec tinySpec(List<Modality> modalities, boolean positions) {
    return ModelSpec.builder().type("fe2e").modalities(modalities).classes(6).dim(8).heads(2).layers(1).feedForward(16)
        .dropout(0.0).positionalEncoding(positions).textPositions(positions).vocabSize(20).maxTokens(7)
        .faceSize(16).melBins(16).chunkFrames(16).channelDivisor(16).positiveWeights(new double[] {1, 2, 3, 0.5, 1.5, 4})
        .learningRate(1e-3).seed(7).topP(1.0).attentionGradient("reference").build();
  }

  /** A vocabulary of {@code size} pieces: the special ones, then "w4", "w5", … */
  public static WordPieceTokenizer tokenizer(int size) {
    return WordPieceTokenizer.numbered(size);
  }

  /** An utterance with random crops, mel chunks and labels at the spec's geometry, text "a b c". */
  public static Example example(ModelSpec spec, String id, int frames, int chunks, Random r) {
    byte[] crops = new byte[frames * 3 * spec.faceSize() * spec.faceSize()];
    r.nextBytes(crops);
    float[] mel = new float[chunks * spec.audioFeatures()];
    for (int i = 0; i < mel.length; i++) mel[i] = (float) r.nextGaussian();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < spec.classes(); c++) labels.add(r.nextInt(2));
    return new Example(id, "a b c", frames, crops, chunks, mel, labels);
  }
}
