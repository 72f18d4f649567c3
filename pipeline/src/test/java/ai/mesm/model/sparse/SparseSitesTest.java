package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseSitesTest {
  /**
   * Enough sites for the table to be built in parts, on grids whose borders, corners and one-cell
   * edges take the checked path: every entry is the site at that offset, or −1, as looked up by hand.
   */
  @Test
  void theNeighbourTableHoldsTheSiteAtEachOffsetOrMinusOne() {
    Random r = new Random(5);
    int largest = 0;
    for (int[] shape : new int[][] {{16, 24, 24}, {3, 1, 40}, {2, 64, 16}, {40, 2, 2}}) {
      int frames = shape[0], height = shape[1], width = shape[2];
      boolean[] active = new boolean[frames * height * width];
      for (int i = 0; i < active.length; i++) active[i] = r.nextDouble() < 0.6;
      SparseSites s = SparseSites.fromGrid(frames, height, width, active);
      int[] siteAt = new int[active.length];
      java.util.Arrays.fill(siteAt, -1);
      for (int i = 0; i < s.size(); i++) siteAt[s.gridIndex(i)] = i;
      largest = Math.max(largest, s.size());
      int[] nbr = s.neighbours();
      assertEquals(s.size() * SparseSites.KERNEL_OFFSETS, nbr.length);
      for (int i = 0; i < s.size(); i++) {
        for (int k = 0; k < SparseSites.KERNEL_OFFSETS; k++) {
          int y = s.row(i) + SparseSites.DH[k];
          int x = s.col(i) + SparseSites.DW[k];
          int expected = y < 0 || y >= height || x < 0 || x >= width ? -1 : siteAt[(s.frame(i) * height + y) * width + x];
          assertEquals(expected, nbr[i * SparseSites.KERNEL_OFFSETS + k], "site " + i + " offset " + k);
        }
      }
    }
    assertTrue(largest >= 4096, "one grid is large enough to be split over the cores: " + largest);
  }

  @Test
  void theKeptIndicesAreTheSetFlagsInOrderAndTheSubsetTheirSites() {
    Random r = new Random(6);
    SparseSites all = SparseSites.all(3, 5, 7);
    for (double density : new double[] {0, 0.3, 1}) {
      boolean[] keep = new boolean[all.size()];
      for (int i = 0; i < keep.length; i++) keep[i] = r.nextDouble() < density;
      int[] index = SparseSites.indexOf(keep);
      int j = 0;
      for (int i = 0; i < keep.length; i++) if (keep[i]) assertEquals(i, index[j++]);
      assertEquals(j, index.length);
      SparseSites kept = all.subset(keep);
      assertEquals(index.length, kept.size());
      for (int q = 0; q < index.length; q++) assertEquals(all.gridIndex(index[q]), kept.gridIndex(q));
      int[] starts = new int[all.frames() + 1];
      for (int f = 0; f <= all.frames(); f++) starts[f] = kept.frameStart(f);
      assertEquals(index.length, starts[all.frames()]);
    }
    assertArrayEquals(new int[0], SparseSites.indexOf(new boolean[0]));
  }
}
