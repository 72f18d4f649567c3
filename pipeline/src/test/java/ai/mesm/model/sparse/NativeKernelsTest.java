package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The native submanifold convolution against the Java kernels in double precision (themselves
 * held to a masked dense convolution by {@link SparseKernelsTest}): every instruction set this CPU
 * runs, widths that are not multiples of the vector tiles, batches split by sites and by output
 * channels, weights given as a view into a larger buffer (as DL4J's parameters are), the
 * weight gradient (input channels in tiles of 8 or 4), inference's BatchNorm + ReLU fused into
 * the convolution, and the gradients through {@link SubmanifoldConv#backward}.
 */
class NativeKernelsTest {
  /**
   * Skips where the kernel could not be built (no C compiler, not x86-64 Linux); where it could,
   * a missing kernel is a failure, so a broken build cannot pass as a skip.
   */
  private static void assumeNative() {
    if (buildable()) assertTrue(NativeKernels.available(), "a C compiler is present, yet " + NativeKernels.describe());
    assumeTrue(NativeKernels.available(), NativeKernels::describe);
  }

  /** What pipeline/src/main/c/build.sh needs: x86-64 Linux, a C compiler on the PATH, and JNI headers. */
  private static boolean buildable() {
    String arch = System.getProperty("os.arch");
    if (!System.getProperty("os.name").toLowerCase().contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return false;
    }
    String cc = System.getenv().getOrDefault("CC", "cc");
    boolean compiler = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, cc)))
        || java.nio.file.Files.isExecutable(java.nio.file.Path.of(cc));
    return compiler && java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("java.home"), "include", "jni.h"));
  }

  private static INDArray random(Random r, long rows, long cols) {
    double[] v = new double[(int) (rows * cols)];
    for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
    return Nd4j.createFromArray(v).reshape(rows, cols);
  }

  private static SparseSites sites(Random r, int frames, int h, int w, double density) {
    boolean[] active = new boolean[frames * h * w];
    for (int i = 0; i < active.length; i++) active[i] = r.nextDouble() < density;
    return SparseSites.fromGrid(frames, h, w, active);
  }

  /** The Java per-offset method in double: exact to ~1e-15, the reference here. */
  private static INDArray reference(INDArray x, Rulebook rules, INDArray w) {
    return SubmanifoldConv.multiplyByOffset(x, rules, w).castTo(DataType.FLOAT);
  }

  @ParameterizedTest
  @CsvSource({
      // frames, h, w, density, cin, cout: few sites (split by channels), many (split by sites, several chunks;
      // 48 x 48 x 2 at 0.8: two site ranges of the weight gradient)
      "3, 5, 6, 0.0, 3, 4", "3, 5, 6, 0.15, 5, 40", "3, 5, 6, 0.5, 16, 32", "3, 5, 6, 1.0, 7, 70",
      "4, 24, 24, 0.3, 16, 48", "4, 24, 24, 0.9, 33, 17", "2, 48, 48, 0.8, 8, 130", "1, 6, 6, 0.9, 64, 512",
      "3, 5, 6, 0.7, 12, 20"})
  void everyInstructionSetEqualsTheJavaKernels(int frames, int h, int w, double density, int cin, int cout) {
    assumeNative();
    Random r = new Random(frames * 1000L + h + cout + Double.hashCode(density));
    SparseSites s = sites(r, frames, h, w, density);
    Rulebook rules = Rulebook.of(s.neighbours());
    INDArray x = random(r, s.size(), cin);
    // The weights as a view at an offset inside a larger buffer, like a layer's parameter view.
    INDArray params = random(r, 1, 7 + 9L * cin * cout);
    INDArray wView = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + 9L * cin * cout))
        .reshape('c', 9L * cin, cout);
    INDArray expected = reference(x, rules, wView.dup());
    INDArray xf = x.castTo(DataType.FLOAT);
    INDArray wf = params.castTo(DataType.FLOAT).get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + 9L * cin * cout))
        .reshape('c', 9L * cin, cout);
    double tolerance = 2e-5 * Math.sqrt(9.0 * cin);
    INDArray dOut = random(r, s.size(), cout);
    INDArray dOutF = dOut.castTo(DataType.FLOAT);
    INDArray[] exactGrads = SubmanifoldConv.backward(x, rules, wView.dup(), dOut);
    INDArray exactDw = exactGrads[1].castTo(DataType.FLOAT);
    double gradientTolerance = 2e-5 * Math.sqrt(Math.max(1, s.size()));
    for (int level = 1; level <= NativeKernels.level(); level++) {
      int block = NativeKernels.gradientChannelBlock(level);
      if (s.size() > 0 && cin % block == 0) {
        // the weight gradient in two parts by input channels, as the cores split it; stale values overwritten
        INDArray dW = Nd4j.valueArrayOf(new long[] {9L * cin, cout}, 12345f);
        int cut = cin / block / 2 * block;
        for (int[] part : new int[][] {{0, cut}, {cut, cin}}) {
          NativeKernels.weightGradient(level, NativeArrays.address(xf), cin, NativeArrays.address(dOutF), cout,
              rules.neighbours(), s.size(), part[0], part[1], NativeArrays.address(dW));
        }
        assertTrue(exactDw.equalsWithEps(dW, gradientTolerance), "level " + level + ", weight gradient");
      }
      if (s.size() > 0) {
        INDArray out = Nd4j.valueArrayOf(new long[] {s.size(), cout}, 12345f); // stale values must be overwritten
        // two calls on disjoint site ranges, then the same split by channels: each writes only its part
        int half = s.size() / 2;
        for (int[] part : new int[][] {{0, half}, {half, s.size()}}) {
          NativeKernels.convolve(level, NativeArrays.address(xf), cin, rules.neighbours(), part[0], part[1], 0, cout,
              NativeArrays.address(wf), cout, NativeArrays.address(out), null, null);
        }
        assertTrue(expected.equalsWithEps(out, tolerance), "level " + level + ", split by sites");
        out.assign(12345f);
        int cut = Math.min(cout, 32);
        for (int[] cols : new int[][] {{0, cut}, {cut, cout}}) {
          NativeKernels.convolve(level, NativeArrays.address(xf), cin, rules.neighbours(), 0, s.size(), cols[0],
              cols[1], NativeArrays.address(wf), cout, NativeArrays.address(out), null, null);
        }
        assertTrue(expected.equalsWithEps(out, tolerance), "level " + level + ", split by channels");
      }
    }
    // Through SubmanifoldConv, as the blocks call it: forward and the input gradient.
    INDArray y = SubmanifoldConv.forward(xf, rules, wf);
    assertEquals(DataType.FLOAT, y.dataType());
    assertTrue(expected.equalsWithEps(y, tolerance), "forward");
    // Inference's fused BatchNorm + ReLU against the two steps in double.
    INDArray gamma = random(r, 1, cout).castTo(DataType.FLOAT);
    INDArray beta = random(r, 1, cout).castTo(DataType.FLOAT);
    INDArray mean = random(r, 1, cout).castTo(DataType.FLOAT);
    INDArray variance = random(r, 1, cout).castTo(DataType.FLOAT).muli(0.5).addi(1);
    INDArray fused = SubmanifoldConv.forwardNormalisedRelu(xf, rules, wf, gamma, beta, mean, variance);
    if (s.size() > 0) {
      INDArray twoSteps = SparseBatchNorm.inferRelu(expected.castTo(DataType.DOUBLE), gamma.castTo(DataType.DOUBLE),
          beta.castTo(DataType.DOUBLE), mean.castTo(DataType.DOUBLE), variance.castTo(DataType.DOUBLE));
      double largestScale = Transforms.abs(gamma.div(Transforms.sqrt(variance.add(SparseBatchNorm.EPS)))).maxNumber()
          .doubleValue();
      // Absolute error: equalsWithEps judges values near 0 relatively, and ReLU's cut makes many of them.
      double error = Transforms.abs(twoSteps.castTo(DataType.FLOAT).sub(fused)).maxNumber().doubleValue();
      assertTrue(error <= tolerance * largestScale + 1e-5, "convolution, BatchNorm and ReLU fused: error " + error);
      assertTrue(fused.minNumber().doubleValue() >= 0 && fused.maxNumber().doubleValue() > 0, "ReLU applied");
    }
    INDArray[] nativeGrads = SubmanifoldConv.backward(xf, rules, wf, dOutF);
    assertTrue(exactGrads[0].castTo(DataType.FLOAT).equalsWithEps(nativeGrads[0], 2e-5 * Math.sqrt(9.0 * cout)),
        "input gradient");
    assertTrue(exactDw.equalsWithEps(nativeGrads[1], gradientTolerance), "weight gradient");
  }

  @Test
  void theSettingChoosesTheKernelAndJavaStaysAvailable() {
    assumeNative();
    Random r = new Random(5);
    SparseSites s = sites(r, 2, 12, 12, 0.6);
    Rulebook rules = Rulebook.of(s.neighbours());
    INDArray x = random(r, s.size(), 8).castTo(DataType.FLOAT);
    INDArray w = random(r, 72, 24).castTo(DataType.FLOAT);
    boolean before = NativeKernels.use(true);
    try {
      assertTrue(NativeKernels.describe().startsWith("native ("), NativeKernels.describe());
      INDArray nat = SubmanifoldConv.forward(x, rules, w);
      NativeKernels.use(false);
      assertTrue(NativeKernels.describe().startsWith("java ("), NativeKernels.describe());
      INDArray java = SubmanifoldConv.forward(x, rules, w);
      assertTrue(java.equalsWithEps(nat, 1e-4));
    } finally {
      NativeKernels.use(before);
    }
  }

  @Test
  void theSettingChoosesTheKernelAndAutoKeepsTheJvmOption() {
    boolean before = NativeKernels.use(false);
    try {
      NativeKernels.configure("java");
      assertTrue(NativeKernels.describe().startsWith("java ("), NativeKernels.describe());
      if (NativeKernels.available()) {
        assertTrue(NativeKernels.describe().contains("mesm.model.mesm.kernels = java"), NativeKernels.describe());
      }
      NativeKernels.configure("auto");
      boolean propertySaysJava = "java".equals(System.getProperty(NativeKernels.PROPERTY));
      assertEquals(NativeKernels.available() && !propertySaysJava, NativeKernels.describe().startsWith("native ("),
          NativeKernels.describe());
      if (NativeKernels.available()) {
        NativeKernels.configure("native");
        assertTrue(NativeKernels.describe().startsWith("native ("), NativeKernels.describe());
      } else {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeKernels.configure("native"));
        assertTrue(e.getMessage().contains("mesm.model.mesm.kernels = java"), e.getMessage());
      }
      assertThrows(IllegalArgumentException.class, () -> NativeKernels.configure("fast"));
    } finally {
      NativeKernels.use(before);
    }
  }

  /**
   * The attention's scores and hidden layer in one native pass (AVX-512) against the Java pass
   * (ND4J's GEMM, then query term, FastTanh and score): widths below, at and above the 64-wide
   * tile, site counts that are not multiples of its 6 rows, several frames, one of them empty.
   * Each site's score must not depend on the rest of the batch: a frame scored alone gives its
   * sites the same scores, bit for bit. On a CPU without AVX-512 the Java pass must run instead.
   */
  @ParameterizedTest
  @CsvSource({"3, 0.7", "16, 0.5", "64, 0.9", "80, 0.3", "130, 0.6"})
  void theNativeAttentionEqualsTheJavaPass(int cin, double density) {
    assumeNative();
    Random r = new Random(cin);
    int frames = 4;
    int h = 9;
    int w = 11;
    boolean[] active = new boolean[frames * h * w];
    for (int i = 0; i < active.length; i++) active[i] = i / (h * w) != 2 && r.nextDouble() < density; // frame 2: no site
    SparseSites sites = SparseSites.fromGrid(frames, h, w, active);
    int d = 6;
    INDArray x = random(r, sites.size(), cin).castTo(DataType.FLOAT);
    INDArray query = random(r, frames, d).castTo(DataType.FLOAT);
    INDArray flat = random(r, 1, SparseBlockParams.count(cin, 8, d)).muli(0.4).castTo(DataType.FLOAT);
    SparseBlockParams params = SparseBlockParams.view(flat, 0, cin, 8, d);
    boolean before = NativeKernels.use(false);
    try {
      SparseBlock.Attention javaPass = SparseBlock.attention(sites, x, query, params, true);
      NativeKernels.use(true);
      if (NativeKernels.activeLevel() < 2) {
        assertFalse(NativeKernels.appliesToAttention(x), "the native attention is AVX-512 only");
        return;
      }
      assertTrue(NativeKernels.appliesToAttention(x));
      INDArray shortQuery = query.get(NDArrayIndex.interval(0, frames - 1), NDArrayIndex.all());
      assertThrows(IllegalArgumentException.class, () -> SparseBlock.attention(sites, x, shortQuery, params, false),
          "a query row per frame, or the kernel would read past the query");
      SparseBlock.Attention nat = SparseBlock.attention(sites, x, query, params, true);
      SparseBlock.Attention scoresOnly = SparseBlock.attention(sites, x, query, params, false);
      assertNull(scoresOnly.tanhU());
      assertArrayEquals(nat.scores(), scoresOnly.scores(), "the hidden layer written or not, the same scores");
      assertTrue(javaPass.tanhU().equalsWithEps(nat.tanhU(), 2e-6), "tanh(x·Wx + q)");
      for (int i = 0; i < sites.size(); i++) {
        assertEquals(javaPass.scores()[i], nat.scores()[i], 2e-5 * (1 + Math.abs(javaPass.scores()[i])), "score of site " + i);
      }
      int alone = sites.frameStart(1);
      boolean[] first = java.util.Arrays.copyOf(active, h * w);
      SparseBlock.Attention firstFrame = SparseBlock.attention(SparseSites.fromGrid(1, h, w, first),
          x.get(NDArrayIndex.interval(0, alone), NDArrayIndex.all()), query.get(NDArrayIndex.interval(0, 1),
              NDArrayIndex.all()), params, false);
      assertArrayEquals(java.util.Arrays.copyOf(nat.scores(), alone), firstFrame.scores(), "frame 0 scored alone");
    } finally {
      NativeKernels.use(before);
    }
  }

  @Test
  void withoutACompilerTheBuildSaysSoAndGoesOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path script = java.nio.file.Path.of("src/main/c/build.sh").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), dir.resolve("out").toString(),
        System.getProperty("java.home")).redirectErrorStream(true);
    pb.environment().put("CC", "no-such-compiler");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), output);
    assertTrue(output.contains("native kernels not built") && output.contains("Java/ND4J paths"), output);
    assertFalse(java.nio.file.Files.exists(dir.resolve("out").resolve(NativeKernels.LIBRARY)));
    if (buildable()) {
      Process built = new ProcessBuilder("sh", script.toString(), dir.resolve("out").toString(),
          System.getProperty("java.home")).redirectErrorStream(true).start();
      String log = new String(built.getInputStream().readAllBytes());
      assertEquals(0, built.waitFor(), log);
      assertTrue(java.nio.file.Files.size(dir.resolve("out").resolve(NativeKernels.LIBRARY)) > 0, log);
      assertTrue(java.nio.file.Files.size(dir.resolve("out").resolve("libmesm_mtcnn.so")) > 0, log);
      assertTrue(java.nio.file.Files.size(dir.resolve("out").resolve("libmesm_dense.so")) > 0, log);
    }
  }
}
