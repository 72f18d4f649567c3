package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Site rows from a [frames, C, H, W] grid, checked element by element, and back. */
class DenseGridTest {
  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
  void rowsHoldEachSitesChannelsInSiteOrderAndDenseInvertsThem(DataType type) {
    int frames = 5;
    int c = 3;
    int h = 4;
    int w = 6;
    Nd4j.getRandom().setSeed(7);
    INDArray grid = Nd4j.rand(type, frames, c, h, w);
    INDArray rows = DenseGrid.rows(grid);
    assertArrayEquals(new long[] {(long) frames * h * w, c}, rows.shape());
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < c; ch++) {
            assertEquals(grid.getDouble(f, ch, y, x), rows.getDouble((f * h + y) * w + x, ch), 0.0);
          }
        }
      }
    }
    assertEquals(grid, DenseGrid.dense(SparseSites.all(frames, h, w), rows));
  }
}
