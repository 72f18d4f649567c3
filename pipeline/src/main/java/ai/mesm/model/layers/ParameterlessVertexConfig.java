package ai.mesm.model.layers;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/**
 * What the configurations of our vertices without parameters share: a fixed number of inputs,
 * no parameters, and no memory of their own to report. Holds no fields: DL4J serialises a
 * configuration's fields into the saved model.
 */
abstract class ParameterlessVertexConfig extends GraphVertex {
  /** How many inputs the vertex takes. */
  abstract int inputCount();

  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return inputCount();
  }

  @Override
  public int maxVertexInputs() {
    return inputCount();
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    LayerMemoryReport.Builder b = new LayerMemoryReport.Builder(null, (Class) getClass(), inputTypes[0],
        getOutputType(-1, inputTypes));
    return b.standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }
}
