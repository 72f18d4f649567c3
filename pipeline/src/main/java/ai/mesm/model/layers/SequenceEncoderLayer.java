package ai.mesm.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff layer configuration that reads a masked sequence [mb, features, T] and gives one
 * vector per utterance [mb, size]: what the text and modality encoders share. Its SameDiff
 * definition is the reference; it runs as a hand-written layer ({@link #runtime}), DL4J's
 * SameDiff plumbing (parameters, masks, JSON) kept.
 */
abstract class SequenceEncoderLayer extends SameDiffLayer {
  /** Features per step the layer reads. */
  abstract long inputSize();

  /** Size of the vector it gives per utterance. */
  abstract long outputSize();

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                           INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    return instantiate(runtime(conf, networkDataType), conf, layerIndex, layerParamsView, initializeParams);
  }

  /**
   * The runtime layer, computed by hand; {@link #defineLayer} is its definition, which
   * {@link CorrectedSameDiffLayer} runs only as the tests' and benches' reference ({@link EncoderTiming}).
   */
  abstract org.deeplearning4j.nn.layers.samediff.SameDiffLayer runtime(NeuralNetConfiguration conf, DataType dataType);

  /** {@code layer} over {@code layerParamsView}, set up as DL4J's own instantiate does. */
  Layer instantiate(org.deeplearning4j.nn.layers.samediff.SameDiffLayer layer, NeuralNetConfiguration conf, int layerIndex,
                    INDArray layerParamsView, boolean initializeParams) {
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(outputSize());
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    long size = inputType instanceof InputType.InputTypeRecurrent r ? r.getSize() : inputType.arrayElementsPerExample();
    if (size != inputSize()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " input has " + size + " features, expected "
          + inputSize());
    }
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return null;
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                        int minibatchSize) {
    // One vector per utterance comes out: nothing left to mask.
    return new Pair<>(null, currentMaskState);
  }
}
