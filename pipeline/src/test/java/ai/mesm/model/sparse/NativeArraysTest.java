package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NativeArraysTest {
  @Test
  void anArrayInCOrderIsReadInPlaceWhateverItsSizeOneDimensionsSay() {
    INDArray c = counting(60).reshape('c', 1, 5, 4, 3);
    // [5, 1, 4, 3] with the size-1 dimension's stride 60: ND4J may flag such an array 'f'.
    INDArray swapped = c.permute(1, 0, 2, 3);
    assertTrue(NativeArrays.inPlace(swapped), java.util.Arrays.toString(swapped.stride()));
    assertSame(swapped, NativeArrays.readable(swapped));
    assertEquals(c.data().address(), NativeArrays.address(swapped));
    // A view of rows further in: its address is its first element's.
    INDArray rows = c.reshape(5, 12).get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
    assertEquals(c.data().address() + 24L * Float.BYTES, NativeArrays.address(rows));
  }

  @Test
  void anArrayWithGapsOrAnotherTypeIsCopiedAndRefusedByAddress() {
    INDArray m = counting(24).reshape('c', 4, 6);
    INDArray columns = m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
    INDArray doubles = m.castTo(DataType.DOUBLE);
    INDArray fOrder = m.dup('f');
    for (INDArray a : new INDArray[] {columns, doubles, fOrder}) {
      assertFalse(NativeArrays.inPlace(a));
      INDArray copy = NativeArrays.readable(a);
      assertTrue(NativeArrays.inPlace(copy));
      assertEquals(a.castTo(DataType.FLOAT), copy);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeArrays.address(a));
      assertTrue(e.getMessage().contains("strides"), e.getMessage());
    }
  }

  private static INDArray counting(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = i;
    return Nd4j.createFromArray(v);
  }
}
