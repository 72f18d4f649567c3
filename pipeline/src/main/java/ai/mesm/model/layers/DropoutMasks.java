package ai.mesm.model.layers;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff layer with dropout inside its graph. DL4J runs a SameDiff layer without telling its
 * graph whether it is training, and a random op inside the graph would draw other masks when the
 * backward pass recomputes the forward. So the masks are graph variables that
 * {@link CorrectedSameDiffLayer} fills before each forward pass: inverted-dropout masks while
 * training, ones (broadcast) at inference; the backward pass then reuses the forward's masks.
 * A layer computed by hand ({@link TransformerEncoderLayer}) draws the same masks once per
 * training pass and keeps them for its backward pass.
 */
interface DropoutMasks {
  /** Names and values of the mask variables for an input of {@code inputShape}. */
  Map<String, INDArray> dropoutMasks(long[] inputShape, boolean training, DataType type);
}
