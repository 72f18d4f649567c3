package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sparse kernels against straightforward dense computations written out in loops here:
 * submanifold convolution = masked dense 3×3 convolution at the active sites (forward and
 * backward), sparse max-pool = dense max-pool of the zeroed grid with activity propagated,
 * sparse BatchNorm backward = finite differences. Random inputs and masks, including empty and
 * full ones, in double precision.
 */
class SparseKernelsTest {
  private static final int F = 3;
  private static final int H = 5;
  private static final int W = 6;

  private static SparseSites randomSites(Random r, double density) {
    boolean[] active = new boolean[F * H * W];
    for (int i = 0; i < active.length; i++) active[i] = r.nextDouble() < density;
    return SparseSites.fromGrid(F, H, W, active);
  }

  private static INDArray random(Random r, long rows, long cols) {
    double[] v = new double[(int) (rows * cols)];
    for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
    return Nd4j.createFromArray(v).reshape(rows, cols);
  }

  /** Site index at each (f, h, w), −1 where inactive, computed here independently. */
  private static int[][][] grid(SparseSites s) {
    int[][][] g = new int[F][H][W];
    for (int[][] a : g) for (int[] b : a) java.util.Arrays.fill(b, -1);
    for (int i = 0; i < s.size(); i++) g[s.frame(i)][s.row(i)][s.col(i)] = i;
    return g;
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.15, 0.5, 0.85, 1.0})
  void submanifoldConvolutionEqualsMaskedDenseConvolution(double density) {
    Random r = new Random(Double.hashCode(density));
    SparseSites s = randomSites(r, density);
    int cin = 3;
    int cout = 4;
    INDArray x = random(r, s.size(), cin);
    INDArray w = random(r, 9L * cin, cout);
    INDArray dOut = random(r, s.size(), cout);
    Rulebook nbr = Rulebook.of(s.neighbours()); // one rulebook for every call below, as a block shares it
    INDArray y = SubmanifoldConv.forward(x, nbr, w);
    INDArray[] grads = SubmanifoldConv.backward(x, nbr, w, dOut);

    int[][][] g = grid(s);
    double[][] expected = new double[s.size()][cout];
    double[][] dX = new double[s.size()][cin];
    double[][] dW = new double[9 * cin][cout];
    for (int o = 0; o < s.size(); o++) {
      for (int dh = -1; dh <= 1; dh++) {
        for (int dw = -1; dw <= 1; dw++) {
          int h = s.row(o) + dh;
          int c = s.col(o) + dw;
          if (h < 0 || h >= H || c < 0 || c >= W || g[s.frame(o)][h][c] < 0) continue; // zeroed inactive site
          int j = g[s.frame(o)][h][c];
          int k = (dh + 1) * 3 + (dw + 1);
          for (int ci = 0; ci < cin; ci++) {
            for (int co = 0; co < cout; co++) {
              double wk = w.getDouble(k * cin + ci, co);
              expected[o][co] += wk * x.getDouble(j, ci);
              dX[j][ci] += wk * dOut.getDouble(o, co);
              dW[k * cin + ci][co] += x.getDouble(j, ci) * dOut.getDouble(o, co);
            }
          }
        }
      }
    }
    assertEquals(s.size(), y.size(0));
    if (s.size() > 0) {
      assertTrue(Nd4j.createFromArray(expected).equalsWithEps(y, 1e-10), "forward");
      // Both exact methods, whichever the density picks, in double and in float.
      assertTrue(Nd4j.createFromArray(expected).equalsWithEps(SubmanifoldConv.multiplyByOffset(x, nbr, w), 1e-10));
      assertTrue(Nd4j.createFromArray(expected).equalsWithEps(SubmanifoldConv.multiplyAllOffsets(x, nbr, w), 1e-10));
      INDArray xf = x.castTo(DataType.FLOAT);
      INDArray wf = w.castTo(DataType.FLOAT);
      INDArray expectedF = Nd4j.createFromArray(expected).castTo(DataType.FLOAT);
      assertTrue(expectedF.equalsWithEps(SubmanifoldConv.multiplyByOffset(xf, nbr, wf), 1e-4), "by offset, float");
      assertTrue(expectedF.equalsWithEps(SubmanifoldConv.multiplyAllOffsets(xf, nbr, wf), 1e-4), "all offsets, float");
      assertTrue(Nd4j.createFromArray(dW).equalsWithEps(SubmanifoldConv.weightGradientByOffset(x, nbr, dOut,
          Nd4j.zeros(DataType.DOUBLE, 9L * cin, cout)), 1e-10), "weight gradient by offset");
      assertTrue(Nd4j.createFromArray(dW).castTo(DataType.FLOAT).equalsWithEps(SubmanifoldConv.weightGradientByOffset(xf,
          nbr, dOut.castTo(DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, 9L * cin, cout)), 1e-4), "by offset, float");
      assertTrue(Nd4j.createFromArray(dX).equalsWithEps(grads[0], 1e-10), "input gradient");
    }
    assertTrue(Nd4j.createFromArray(dW).equalsWithEps(grads[1], 1e-10), "weight gradient");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.3, 0.9})
  void moreSitesThanOneChunkGiveTheSameConvolutionAsSmallBatches(double density) {
    // Forward and backward run SubmanifoldConv.CHUNK sites per step (dense masks), the per-offset
    // method adds into ranges of ACCUMULATE_VALUES / Cout sites (sparse masks), and both split
    // their row copies and sums over the cores for large batches: a batch spanning several steps
    // and ranges must give each frame what it gets alone, and the two methods the same values.
    Random r = new Random(21);
    int frames = 3;
    int h = density < 0.5 ? 128 : 48;
    int w = density < 0.5 ? 120 : 40; // > CHUNK sites; at 0.3, > 2 · 2048 pairs per offset
    boolean[] active = new boolean[frames * h * w];
    for (int i = 0; i < active.length; i++) active[i] = r.nextDouble() < density;
    SparseSites s = SparseSites.fromGrid(frames, h, w, active);
    int cout = 256;
    assertTrue(s.size() > SubmanifoldConv.CHUNK);
    assertTrue(s.size() > SubmanifoldConv.ACCUMULATE_VALUES / cout);
    INDArray x = random(r, s.size(), 2);
    INDArray wts = random(r, 18, cout);
    INDArray dOut = random(r, s.size(), cout);
    Rulebook nbr = Rulebook.of(s.neighbours()); // one rulebook for every call below, as a block shares it
    INDArray y = SubmanifoldConv.forward(x, nbr, wts);
    INDArray[] g = SubmanifoldConv.backward(x, nbr, wts, dOut);
    assertTrue(SubmanifoldConv.multiplyByOffset(x, nbr, wts).equalsWithEps(SubmanifoldConv.multiplyAllOffsets(x, nbr, wts),
        1e-10), "per offset = all offsets");
    assertTrue(SubmanifoldConv.weightGradientByOffset(x, nbr, dOut, Nd4j.zeros(DataType.DOUBLE, 18, cout))
        .equalsWithEps(g[1], 1e-9), "weight gradient per offset = backward's");
    INDArray dW = Nd4j.zeros(DataType.DOUBLE, 18, cout);
    for (int f = 0; f < frames; f++) {
      boolean[] one = new boolean[active.length];
      for (int i = f * h * w; i < (f + 1) * h * w; i++) one[i] = active[i];
      SparseSites alone = SparseSites.fromGrid(frames, h, w, one);
      int from = s.frameStart(f);
      int to = s.frameStart(f + 1);
      var rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
      var all = org.nd4j.linalg.indexing.NDArrayIndex.all();
      INDArray xf = x.get(rows, all).dup();
      Rulebook aloneRules = Rulebook.of(alone.neighbours());
      INDArray yf = SubmanifoldConv.forward(xf, aloneRules, wts);
      INDArray[] gf = SubmanifoldConv.backward(xf, aloneRules, wts, dOut.get(rows, all).dup());
      assertTrue(yf.equalsWithEps(y.get(rows, all), 1e-10), "forward, frame " + f);
      assertTrue(gf[0].equalsWithEps(g[0].get(rows, all), 1e-10), "input gradient, frame " + f);
      dW.addi(gf[1]);
    }
    assertTrue(dW.equalsWithEps(g[1], 1e-9), "weight gradient");
  }

  @Test
  void neighbourPairsCountTheRealWork() {
    SparseSites all = SparseSites.all(1, 3, 3);
    // Centre has 9 neighbours, edges 6, corners 4: 9 + 4·6 + 4·4 = 49.
    assertEquals(49, SparseSites.pairs(all.neighbours()));
    assertEquals(49, Rulebook.of(all.neighbours()).pairs());
    assertEquals(9, Rulebook.of(all.neighbours()).sites());
    assertThrows(IllegalArgumentException.class, () -> Rulebook.of(new int[10]));
    boolean[] one = new boolean[9];
    one[4] = true;
    assertEquals(1, SparseSites.pairs(SparseSites.fromGrid(1, 3, 3, one).neighbours()));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.2, 0.6, 1.0})
  void sparseMaxPoolEqualsDensePoolOfTheZeroedGridAndPropagatesActivity(double density) {
    Random r = new Random(7 + Double.hashCode(density));
    SparseSites s = randomSites(r, density);
    int ch = 3;
    INDArray x = random(r, s.size(), ch);
    if (s.size() > 0) x = org.nd4j.linalg.ops.transforms.Transforms.relu(x, true); // pooling follows ReLU
    SparseMaxPool.Plan plan = s.poolPlan();
    SparseMaxPool.Result res = SparseMaxPool.forward(x, plan);
    SparseSites out = plan.out();
    int[][][] g = grid(s);
    int expectedOut = 0;
    for (int f = 0; f < F; f++) {
      for (int h = 0; h < H / 2; h++) {
        for (int c = 0; c < W / 2; c++) {
          boolean any = false;
          for (int q = 0; q < 4; q++) any |= g[f][2 * h + q / 2][2 * c + q % 2] >= 0;
          if (any) expectedOut++;
        }
      }
    }
    assertEquals(expectedOut, out.size(), "an output is active iff its window has an active input (H = 5: last row dropped)");
    INDArray dOut = random(r, out.size(), ch);
    INDArray dX = SparseMaxPool.backward(dOut, res, plan, s.size());
    double[][] expectedDx = new double[s.size()][ch];
    for (int o = 0; o < out.size(); o++) {
      for (int k = 0; k < ch; k++) {
        double best = Double.NEGATIVE_INFINITY;
        int bestSite = -1;
        for (int q = 0; q < 4; q++) {
          int i = g[out.frame(o)][2 * out.row(o) + q / 2][2 * out.col(o) + q % 2];
          double v = i < 0 ? 0.0 : x.getDouble(i, k);
          if (v > best) {
            best = v;
            bestSite = i;
          }
        }
        assertEquals(best, res.out().getDouble(o, k), 1e-12);
        if (bestSite >= 0) expectedDx[bestSite][k] += dOut.getDouble(o, k);
      }
    }
    if (s.size() > 0) assertTrue(Nd4j.createFromArray(expectedDx).equalsWithEps(dX, 1e-12), "pool gradient");
    INDArray xf = x.castTo(DataType.FLOAT);
    assertTrue(SparseMaxPool.forward(xf, plan).out().equalsWithEps(SparseMaxPool.forwardInference(xf, plan), 0),
        "inference pooling (no argmax) gives the same maxima");
  }

  @Test
  void batchNormOverActiveSitesHasTheFiniteDifferenceGradient() {
    Random r = new Random(3);
    INDArray x = random(r, 7, 3);
    INDArray gamma = random(r, 1, 3);
    INDArray beta = random(r, 1, 3);
    INDArray probe = random(r, 7, 3); // loss = Σ probe ⊙ BN(x)
    SparseBatchNorm.Result res = SparseBatchNorm.train(x, gamma, beta);
    INDArray[] grads = SparseBatchNorm.backward(probe, res.cache(), gamma);
    double h = 1e-6;
    for (int i = 0; i < 7; i++) {
      for (int c = 0; c < 3; c++) {
        double v = x.getDouble(i, c);
        x.putScalar(i, c, v + h);
        double up = SparseBatchNorm.train(x, gamma, beta).out().mul(probe).sumNumber().doubleValue();
        x.putScalar(i, c, v - h);
        double down = SparseBatchNorm.train(x, gamma, beta).out().mul(probe).sumNumber().doubleValue();
        x.putScalar(i, c, v);
        assertEquals((up - down) / (2 * h), grads[0].getDouble(i, c), 1e-6, "dX[" + i + "," + c + "]");
      }
    }
    assertTrue(probe.mul(res.cache().xHat()).sum(true, 0).equalsWithEps(grads[1], 1e-10));
    assertTrue(probe.sum(true, 0).equalsWithEps(grads[2], 1e-10));
    // Statistics over the rows given (the active sites) only: zero mean, unit variance per channel.
    assertEquals(0.0, res.cache().xHat().mean(0).maxNumber().doubleValue(), 1e-10);
  }

  @ParameterizedTest
  @ValueSource(ints = {9, 3000}) // 3000 rows: split over the cores
  void fusedInferenceBatchNormAndReluEqualTheSeparateOps(int rows) {
    Random r = new Random(4);
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray x = random(r, rows, 5).castTo(type);
      INDArray gamma = random(r, 1, 5).castTo(type);
      INDArray beta = random(r, 1, 5).castTo(type);
      INDArray mean = random(r, 1, 5).castTo(type);
      INDArray var = org.nd4j.linalg.ops.transforms.Transforms.abs(random(r, 1, 5)).castTo(type);
      INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.relu(SparseBatchNorm.infer(x.dup(), gamma, beta, mean, var), false);
      assertTrue(expected.equalsWithEps(SparseBatchNorm.inferRelu(x.dup(), gamma, beta, mean, var), 1e-5), type.toString());
    }
  }

  @Test
  void nucleusMaskKeepsTheMinimalPrefixReachingP() {
    SparseSites s = SparseSites.all(2, 1, 4);
    double[] alpha = {0.1, 0.4, 0.3, 0.2, 0.25, 0.25, 0.25, 0.25};
    assertArrayEquals(new boolean[] {false, true, true, false, true, true, false, false},
        NucleusMask.keep(alpha, s, 0.5), "0.4 < 0.5 ≤ 0.7: the crossing site is kept; ties keep site order");
    assertArrayEquals(new boolean[] {false, true, false, false, true, false, false, false},
        NucleusMask.keep(alpha, s, 0.01), "at least one site");
    assertArrayEquals(new boolean[] {false, true, true, false, true, true, true, false},
        NucleusMask.keep(alpha, s, 0.7 - 1e-9), "0.4 + 0.3 reaches it; uniform weights need 3 of 4");
    double[] withZero = {0.5, 0.5, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4};
    assertArrayEquals(new boolean[] {true, true, false, false, true, true, true, true},
        NucleusMask.keep(withZero, s, 1.0), "p = 1 keeps every site with non-zero weight");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.3, 1.0})
  void manyFramesAreMaskedAndPooledAsEachFrameAlone(double p) {
    // 20 frames of 24 × 24: enough sites that the frames and the pooled rows are split over the cores.
    Random r = new Random(12);
    int frames = 20;
    int side = 24;
    SparseSites all = SparseSites.all(frames, side, side);
    double[] scores = new double[all.size()];
    for (int i = 0; i < scores.length; i++) scores[i] = 3 * r.nextGaussian();
    double[] alpha = NucleusMask.softmaxPerFrame(scores, all);
    boolean[] kept = NucleusMask.keep(alpha, all, p);
    SparseSites one = SparseSites.all(1, side, side);
    for (int f = 0; f < frames; f++) {
      int from = all.frameStart(f);
      int to = all.frameStart(f + 1);
      double[] frameAlpha = NucleusMask.softmaxPerFrame(java.util.Arrays.copyOfRange(scores, from, to), one);
      assertArrayEquals(frameAlpha, java.util.Arrays.copyOfRange(alpha, from, to), 0.0, "softmax of frame " + f);
      assertArrayEquals(NucleusMask.keep(frameAlpha, one, p), java.util.Arrays.copyOfRange(kept, from, to), "mask of frame " + f);
    }
    SparseSites keptSites = all.subset(kept);
    SparseMaxPool.Plan plan = keptSites.poolPlan();
    INDArray x = org.nd4j.linalg.ops.transforms.Transforms.relu(random(r, keptSites.size(), 16).castTo(DataType.FLOAT), false);
    assertTrue(SparseMaxPool.forward(x, plan).out().equalsWithEps(SparseMaxPool.forwardInference(x, plan), 0),
        plan.out().size() + " pooled sites: inference pooling gives the training pass's maxima");
  }

  /**
   * The mask sorts only the weights above the frame's mean when their mass exceeds p: the same
   * sites as sorting every weight of the frame, for peaked, flat and tied weights.
   */
  @ParameterizedTest
  @ValueSource(doubles = {0.05, 0.3, 0.5, 0.7, 0.9, 0.999})
  void sortingOnlyTheHeavySitesKeepsWhatSortingTheFrameKeeps(double p) {
    Random r = new Random(21);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(trial < 100 ? 40 : 1100);
      double spread = new double[] {0, 0.01, 1, 3, 8}[trial % 5];
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) scores[i] = trial % 7 == 0 ? r.nextInt(3) : spread * r.nextGaussian();
      SparseSites one = SparseSites.all(1, 1, n);
      double[] alpha = NucleusMask.softmaxPerFrame(scores, one);
      boolean[] sortedFrame = new boolean[n];
      NucleusMask.keepFromCandidates(alpha, 0, n, p, alpha.clone(), sortedFrame);
      assertArrayEquals(sortedFrame, NucleusMask.keep(alpha, one, p), "trial " + trial + ", " + n + " sites");
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.3, 0.5, 0.7, 0.9, 1.0})
  void nucleusMaskPropertiesOnRandomAttention(double p) {
    Random r = new Random(11);
    SparseSites s = randomSites(r, 0.6);
    double[] scores = new double[s.size()];
    for (int i = 0; i < scores.length; i++) scores[i] = 3 * r.nextGaussian();
    double[] alpha = NucleusMask.softmaxPerFrame(scores, s);
    boolean[] kept = NucleusMask.keep(alpha, s, p);
    for (int f = 0; f < F; f++) {
      int from = s.frameStart(f);
      int to = s.frameStart(f + 1);
      if (from == to) continue;
      double mass = 0;
      double smallestKept = Double.POSITIVE_INFINITY;
      double largestDropped = 0;
      int n = 0;
      for (int i = from; i < to; i++) {
        if (kept[i]) {
          mass += alpha[i];
          smallestKept = Math.min(smallestKept, alpha[i]);
          n++;
        } else {
          largestDropped = Math.max(largestDropped, alpha[i]);
        }
      }
      assertTrue(n >= 1);
      assertTrue(mass >= p - 1e-12, "kept mass " + mass + " reaches p = " + p);
      assertTrue(mass - smallestKept < p, "minimal: without its smallest element the kept set is below p");
      assertTrue(smallestKept >= largestDropped, "a prefix of the descending order");
    }
  }
}
