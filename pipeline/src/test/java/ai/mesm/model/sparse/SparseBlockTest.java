package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole sparse block: with p = 1 it computes what DL4J's own dense layers compute for the
 * same stage (conv3×3 + BN + ReLU twice, max-pool 2); in SCALED mode every parameter, the input
 * and the query have the finite-difference gradient; in REFERENCE mode the attention gets none.
 */
class SparseBlockTest {
  private static final int FRAMES = 2;
  private static final int H = 6;
  private static final int W = 4;
  private static final int CIN = 3;
  private static final int COUT = 4;
  private static final int D = 5;

  private static INDArray gaussian(Random r, long... shape) {
    long n = 1;
    for (long s : shape) n *= s;
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
    return Nd4j.createFromArray(v).reshape(shape);
  }

  private static INDArray params(Random r) {
    INDArray flat = gaussian(r, 1, SparseBlockParams.count(CIN, COUT, D)).muli(0.5);
    SparseBlockParams p = SparseBlockParams.view(flat, 0, CIN, COUT, D);
    p.var1().assign(1.0);
    p.var2().assign(1.0);
    p.mean1().assign(0.0);
    p.mean2().assign(0.0);
    return flat;
  }

  @Test
  void floatAttentionMatchesTheDoubleComputation() {
    // FLOAT takes the native pass (AVX-512) or the fused query-term + FastTanh + score pass, DOUBLE ND4J's exact ops; more rows than one
    // step of the fused pass and several frames.
    Random r = new Random(5);
    SparseSites sites = SparseSites.all(3, 20, 20);
    INDArray x = gaussian(r, sites.size(), CIN);
    INDArray query = gaussian(r, 3, D);
    INDArray flat = params(r);
    SparseBlock.Attention exact = SparseBlock.attention(sites, x, query, SparseBlockParams.view(flat, 0, CIN, COUT, D), true);
    INDArray flatF = flat.castTo(DataType.FLOAT);
    SparseBlock.Attention fast = SparseBlock.attention(sites, x.castTo(DataType.FLOAT), query.castTo(DataType.FLOAT),
        SparseBlockParams.view(flatF, 0, CIN, COUT, D), true);
    assertTrue(exact.tanhU().equalsWithEps(fast.tanhU().castTo(DataType.DOUBLE), 1e-5), "tanh(u)");
    for (int i = 0; i < sites.size(); i++) assertEquals(exact.scores()[i], fast.scores()[i], 1e-5, "score of site " + i);
    // Without the hidden layer (inference, REFERENCE training): the same scores, nothing written back.
    SparseBlock.Attention scoresOnly = SparseBlock.attention(sites, x.castTo(DataType.FLOAT), query.castTo(DataType.FLOAT),
        SparseBlockParams.view(flatF, 0, CIN, COUT, D), false);
    assertNull(scoresOnly.tanhU());
    assertArrayEquals(fast.scores(), scoresOnly.scores());
  }

  @Test
  void parameterViewsWriteThroughToTheFlatVector() {
    INDArray flat = Nd4j.zeros(DataType.DOUBLE, 1, SparseBlockParams.count(CIN, COUT, D));
    SparseBlockParams p = SparseBlockParams.view(flat, 0, CIN, COUT, D);
    for (INDArray a : p.all()) a.assign(1.0);
    assertEquals(flat.length(), flat.sumNumber().doubleValue(), 0.0);
    // As DL4J hands a vertex its parameters: a window of the network's flat vector, rank 2 or rank 1.
    long n = SparseBlockParams.count(CIN, COUT, D);
    for (boolean rank1 : new boolean[] {false, true}) {
      INDArray network = Nd4j.zeros(DataType.DOUBLE, 1, 3 * n);
      INDArray window = rank1
          ? network.reshape(3 * n).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n))
          : network.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n));
      SparseBlockParams q = SparseBlockParams.view(window, 0, CIN, COUT, D);
      for (int i = 0; i < q.all().length; i++) q.all()[i].assign(i + 1);
      double expected = 0;
      long[][] shapes = SparseBlockParams.shapes(CIN, COUT, D);
      for (int i = 0; i < shapes.length; i++) expected += (i + 1) * shapes[i][0] * shapes[i][1];
      assertEquals(0.0, network.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).sumNumber().doubleValue(), "rank1=" + rank1);
      assertEquals(expected, network.sumNumber().doubleValue(), 0.0, "rank1=" + rank1);
      assertEquals(1.0, network.getDouble(n), "rank1=" + rank1);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void withPOneTheBlockComputesTheDenseStage(boolean training) {
    Random r = new Random(1);
    INDArray flat = params(r);
    SparseBlockParams p = SparseBlockParams.view(flat, 0, CIN, COUT, D);
    INDArray dense = gaussian(r, FRAMES, CIN, H, W);
    INDArray query = gaussian(r, FRAMES, D);
    SparseBlock.Output out = new SparseBlock(1.0, AttentionMode.REFERENCE)
        .forward(SparseSites.all(FRAMES, H, W), DenseGrid.rows(dense), query, p, training);
    INDArray sparse = DenseGrid.dense(out.sites(), out.features());

    var conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).convolutionMode(ConvolutionMode.Truncate).list()
        .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(COUT).hasBias(false).activation(Activation.IDENTITY).build())
        .layer(new BatchNormalization.Builder().useLogStd(false).build())
        .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
        .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(COUT).hasBias(false).activation(Activation.IDENTITY).build())
        .layer(new BatchNormalization.Builder().useLogStd(false).build())
        .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .setInputType(InputType.convolutional(H, W, CIN)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    net.getLayer(0).setParam("W", dl4jKernel(p.conv1(), CIN));
    net.getLayer(3).setParam("W", dl4jKernel(p.conv2(), COUT));
    for (int[] bn : new int[][] {{1, 1}, {4, 2}}) {
      net.getLayer(bn[0]).setParam("gamma", bn[1] == 1 ? p.gamma1() : p.gamma2());
      net.getLayer(bn[0]).setParam("beta", bn[1] == 1 ? p.beta1() : p.beta2());
    }
    INDArray expected = net.output(dense, training);
    assertArrayEquals(expected.shape(), sparse.shape());
    assertTrue(expected.equalsWithEps(sparse, 1e-9), "sparse " + sparse + "\nvs dense " + expected);
  }

  /** Ours: [9·Cin, Cout] with row k·Cin + ci for offset k = kh·3 + kw; DL4J: [Cout, Cin, kh, kw]. */
  private static INDArray dl4jKernel(INDArray ours, int cin) {
    long cout = ours.size(1);
    INDArray k = Nd4j.zeros(DataType.DOUBLE, cout, cin, 3, 3);
    for (int o = 0; o < 9; o++) {
      for (int ci = 0; ci < cin; ci++) {
        for (int co = 0; co < cout; co++) k.putScalar(new long[] {co, ci, o / 3, o % 3}, ours.getDouble(o * cin + ci, co));
      }
    }
    return k;
  }

  private static double loss(SparseBlock block, SparseSites sites, INDArray x, INDArray query, INDArray flat, INDArray probe) {
    SparseBlockParams p = SparseBlockParams.view(flat, 0, CIN, COUT, D);
    SparseBlock.Output o = block.forward(sites, x, query, p, true);
    return DenseGrid.dense(o.sites(), o.features()).mul(probe).sumNumber().doubleValue();
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 0.6})
  void scaledModeHasTheFiniteDifferenceGradientEverywhere(double topP) {
    Random r = new Random(5);
    SparseBlock block = new SparseBlock(topP, AttentionMode.SCALED);
    boolean[] active = new boolean[FRAMES * H * W];
    for (int i = 0; i < active.length; i++) active[i] = r.nextDouble() < 0.8;
    SparseSites sites = SparseSites.fromGrid(FRAMES, H, W, active);
    INDArray x = gaussian(r, sites.size(), CIN);
    INDArray query = gaussian(r, FRAMES, D);
    INDArray flat = params(r);
    SparseBlockParams p = SparseBlockParams.view(flat, 0, CIN, COUT, D);
    SparseBlock.Output out = block.forward(sites, x, query, p, true);
    INDArray probe = gaussian(r, FRAMES, COUT, H / 2, W / 2);
    INDArray gradFlat = Nd4j.zeros(DataType.DOUBLE, flat.shape());
    SparseBlockParams g = SparseBlockParams.view(gradFlat, 0, CIN, COUT, D);
    INDArray dOut = Rows.gather(DenseGrid.rows(probe), gridIndices(out.sites()));
    INDArray[] d = block.backward(out.trace(), dOut, p, g);

    double h = 1e-6;
    int checked = 0;
    for (int i = 0; i < flat.length(); i++) {
      String name = nameOf(i);
      if (name.contains("Mean") || name.contains("Var")) continue; // running statistics: not trained by gradient
      double v = flat.getDouble(i);
      flat.putScalar(i, v + h);
      double up = loss(block, sites, x, query, flat, probe);
      flat.putScalar(i, v - h);
      double down = loss(block, sites, x, query, flat, probe);
      flat.putScalar(i, v);
      assertEquals((up - down) / (2 * h), gradFlat.getDouble(i), 1e-5, name + " element " + i);
      checked++;
    }
    assertTrue(g.wx().norm2Number().doubleValue() > 1e-3 && g.wq().norm2Number().doubleValue() > 1e-3,
        "the attention learns in SCALED mode");
    for (INDArray[] arr : new INDArray[][] {{x, d[0]}, {query, d[1]}}) {
      for (int i = 0; i < arr[0].length(); i++) {
        double v = arr[0].getDouble(i);
        arr[0].putScalar(i, v + h);
        double up = loss(block, sites, x, query, flat, probe);
        arr[0].putScalar(i, v - h);
        double down = loss(block, sites, x, query, flat, probe);
        arr[0].putScalar(i, v);
        assertEquals((up - down) / (2 * h), arr[1].getDouble(i), 1e-5, "input element " + i);
        checked++;
      }
    }
    assertTrue(checked > 200);
  }

  @Test
  void referenceModeGivesTheAttentionNoGradient() {
    Random r = new Random(9);
    INDArray flat = params(r);
    SparseBlockParams p = SparseBlockParams.view(flat, 0, CIN, COUT, D);
    SparseSites sites = SparseSites.all(FRAMES, H, W);
    INDArray x = gaussian(r, sites.size(), CIN);
    SparseBlock block = new SparseBlock(0.5, AttentionMode.REFERENCE);
    SparseBlock.Output out = block.forward(sites, x, gaussian(r, FRAMES, D), p, true);
    assertTrue(out.trace().keptIndex().length < sites.size(), "p = 0.5 drops sites");
    INDArray gradFlat = Nd4j.zeros(DataType.DOUBLE, flat.shape());
    SparseBlockParams g = SparseBlockParams.view(gradFlat, 0, CIN, COUT, D);
    INDArray[] d = block.backward(out.trace(), gaussian(r, out.sites().size(), COUT), p, g);
    for (INDArray a : new INDArray[] {g.wx(), g.bx(), g.wq(), g.v(), g.b(), d[1]}) assertEquals(0.0, a.norm2Number().doubleValue());
    assertTrue(g.conv1().norm2Number().doubleValue() > 0);
    // Dropped sites get no gradient, kept ones do.
    for (int i = 0; i < sites.size(); i++) {
      if (!out.trace().kept()[i]) assertEquals(0.0, d[0].getRow(i).norm2Number().doubleValue());
    }
  }

  private static int[] gridIndices(SparseSites s) {
    int[] idx = new int[s.size()];
    for (int i = 0; i < idx.length; i++) idx[i] = s.gridIndex(i);
    return idx;
  }

  private static String nameOf(int flatIndex) {
    long at = 0;
    long[][] shapes = SparseBlockParams.shapes(CIN, COUT, D);
    for (int k = 0; k < shapes.length; k++) {
      at += shapes[k][0] * shapes[k][1];
      if (flatIndex < at) return SparseBlockParams.NAMES[k];
    }
    throw new IllegalArgumentException();
  }
}
