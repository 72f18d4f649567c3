package ai.mesm.data;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A padded minibatch in the layout the DL4J layers take (STACK.md: sequences of images as
 * [mb, C·H·W, T] plus a [mb, T] mask, reshaped to [mb·T, C, H, W] inside the layer):
 *
 * @param tokens      [mb, L] token ids (as floats, DL4J inputs are floating point)
 * @param tokenMask   [mb, L] 1 for real tokens
 * @param visual      [mb, 3·size·size, F] normalised crops, CHW within a time step
 * @param visualMask  [mb, F] 1 for real frames; all 0 for an utterance without frames
 * @param audio       [mb, nMels·chunkFrames, C] mel chunks
 * @param audioMask   [mb, C]
 * @param labels      [mb, classes] multi-hot
 */
public record Batch(List<String> ids, INDArray tokens, INDArray tokenMask, INDArray visual, INDArray visualMask,
                    INDArray audio, INDArray audioMask, INDArray labels) {

  public int size() {
    return ids.size();
  }
}
