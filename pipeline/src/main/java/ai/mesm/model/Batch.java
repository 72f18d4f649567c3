package ai.mesm.model;

import ai.mesm.model.Modality;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A padded minibatch in the layout the DL4J layers take (docs/stack.md: sequences of images as
 * [mb, C·H·W, T] plus a [mb, T] mask, reshaped to [mb·T, C, H, W] inside the layer):
 *
 * @param tokens      [mb, L] token ids (as floats, DL4J inputs are floating point); null when the
 *                    input has no text (e.g. scoring a video without transcript)
 * @param tokenMask   [mb, L] 1 for real tokens; null with tokens
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

  public boolean has(Modality m) {
    return features(m) != null;
  }

  /** The modalities this batch carries, in T, A, V order. */
  public List<Modality> modalities() {
    List<Modality> out = new ArrayList<>();
    for (Modality m : Modality.values()) if (has(m)) out.add(m);
    return out;
  }

  public INDArray features(Modality m) {
    return switch (m) {
      case TEXT -> tokens;
      case AUDIO -> audio;
      case VISUAL -> visual;
    };
  }

  public INDArray mask(Modality m) {
    return switch (m) {
      case TEXT -> tokenMask;
      case AUDIO -> audioMask;
      case VISUAL -> visualMask;
    };
  }
}
