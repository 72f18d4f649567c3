package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AlignedParamsTest {
  /**
   * Parameters at an odd place in a larger vector (as DL4J's window puts them): the copy starts
   * every array on a 64-byte boundary, holds the same values, no longer follows the source, and
   * the blocks predict from it exactly what they predict from the source.
   */
  @Test
  void theCopyIsAlignedEqualAndPredictsAsTheSource() {
    SparseStack stack = new SparseStack(16, 8, 0.6, AttentionMode.REFERENCE);
    INDArray whole = Nd4j.zeros(DataType.FLOAT, 1, stack.parameterCount() + 3);
    INDArray flat = whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + stack.parameterCount()));
    stack.initialise(flat, 7);
    List<SparseBlockParams> views = stack.params(flat);
    List<SparseBlockParams> copy = AlignedParams.copy(views);
    assertEquals(stack.blocks(), copy.size());
    int misaligned = 0;
    for (int b = 0; b < stack.blocks(); b++) {
      INDArray[] from = views.get(b).all();
      INDArray[] to = copy.get(b).all();
      for (int i = 0; i < from.length; i++) {
        if (NativeArrays.address(from[i]) % 64 != 0) misaligned++;
        assertEquals(0, NativeArrays.address(to[i]) % 64, "block " + b + " " + SparseBlockParams.NAMES[i]);
        assertEquals(from[i], to[i], "block " + b + " " + SparseBlockParams.NAMES[i]);
      }
    }
    assertTrue(misaligned > 0, "the source has arrays off a 64-byte boundary");

    Nd4j.getRandom().setSeed(8);
    INDArray stem = Nd4j.randn(DataType.FLOAT, 4, 4, 24, 24);
    INDArray query = Nd4j.randn(DataType.FLOAT, 4, 8);
    INDArray expected = stack.infer(stem, query, flat).dense();
    assertEquals(expected, stack.infer(stem, query, copy).dense());
    assertTrue(expected.amaxNumber().doubleValue() > 0, "non-trivial output");

    flat.addi(1);
    assertNotEquals(views.get(2).conv1(), copy.get(2).conv1(), "the copy keeps the values it was made with");
  }
}
