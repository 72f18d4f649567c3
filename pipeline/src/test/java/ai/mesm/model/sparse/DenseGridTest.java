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
    Nd4j.getRandom().setSeed(7);
    assertRowsAndBack(Nd4j.rand(type, 5, 3, 4, 6));
  }

  /** A grid stored channels-last (as the frozen graph's native stem writes it) gives its rows as a view, no copy. */
  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
  void aChannelsLastGridGivesItsRowsWithoutACopy(DataType type) {
    Nd4j.getRandom().setSeed(8);
    INDArray stored = Nd4j.rand(type, 5, 4, 6, 3); // [frames, H, W, C]
    INDArray grid = stored.permute(0, 3, 1, 2);
    assertRowsAndBack(grid);
    INDArray rows = DenseGrid.rows(grid);
    rows.putScalar(7, 2, -1.5);
    assertEquals(-1.5, stored.getDouble(0, 1, 1, 2), 0.0, "rows share the grid's buffer");
  }

  /** Inactive sites read as zeros in the dense map (the native pass for FLOAT where it runs, the gather otherwise). */
  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
  void denseHasZerosWhereNoSiteIsActive(DataType type) {
    int frames = 3;
    int h = 4;
    int w = 5;
    boolean[] active = new boolean[frames * h * w];
    for (int i = 0; i < active.length; i++) active[i] = i % 3 != 1;
    SparseSites sites = SparseSites.fromGrid(frames, h, w, active);
    Nd4j.getRandom().setSeed(9);
    INDArray rows = Nd4j.rand(type, sites.size(), 7);
    INDArray dense = DenseGrid.dense(sites, rows);
    assertArrayEquals(new long[] {frames, 7, h, w}, dense.shape());
    for (int i = 0, site = 0; i < active.length; i++) {
      int f = i / (h * w);
      int y = i / w % h;
      int x = i % w;
      for (int c = 0; c < 7; c++) {
        assertEquals(active[i] ? rows.getDouble(site, c) : 0.0, dense.getDouble(f, c, y, x), 0.0, "cell " + i + ", channel " + c);
      }
      if (active[i]) site++;
    }
  }

  private static void assertRowsAndBack(INDArray grid) {
    int frames = (int) grid.size(0);
    int c = (int) grid.size(1);
    int h = (int) grid.size(2);
    int w = (int) grid.size(3);
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
