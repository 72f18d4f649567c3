package ai.mesm.model.sparse;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of one cross-modal sparse block, as views into the owner's flat parameter (or
 * gradient) vector. Attention: u = x·Wx + bx + q·Wq, s = tanh(u)·v + b; two submanifold
 * convolutions [9·Cin, Cout] and [9·Cout, Cout], each followed by BatchNorm (gamma, beta and the
 * running mean and variance used in inference).
 */
public record SparseBlockParams(INDArray wx, INDArray bx, INDArray wq, INDArray v, INDArray b,
                                INDArray conv1, INDArray gamma1, INDArray beta1, INDArray mean1, INDArray var1,
                                INDArray conv2, INDArray gamma2, INDArray beta2, INDArray mean2, INDArray var2) {

  /** Parameter names and shapes in flat-vector order, for a block Cin → Cout with query dimension D. */
  public static long[][] shapes(long cin, long cout, long queryDim) {
    return new long[][] {
        {cin, cin}, {1, cin}, {queryDim, cin}, {cin, 1}, {1, 1},
        {9 * cin, cout}, {1, cout}, {1, cout}, {1, cout}, {1, cout},
        {9 * cout, cout}, {1, cout}, {1, cout}, {1, cout}, {1, cout}};
  }

  public static final String[] NAMES = {"attWx", "attBx", "attWq", "attV", "attB",
      "conv1", "bn1Gamma", "bn1Beta", "bn1Mean", "bn1Var", "conv2", "bn2Gamma", "bn2Beta", "bn2Mean", "bn2Var"};

  public static long count(long cin, long cout, long queryDim) {
    long n = 0;
    for (long[] s : shapes(cin, cout, queryDim)) n += s[0] * s[1];
    return n;
  }

  /** Views of a flat [1, count] (or rank-1, as DL4J gives vertices) vector starting at {@code offset}. */
  public static SparseBlockParams view(INDArray flat, long offset, long cin, long cout, long queryDim) {
    long[][] shapes = shapes(cin, cout, queryDim);
    INDArray[] p = new INDArray[shapes.length];
    long at = offset;
    for (int i = 0; i < shapes.length; i++) {
      long len = shapes[i][0] * shapes[i][1];
      p[i] = segment(flat, at, len).reshape('c', shapes[i]);
      at += len;
    }
    return of(p);
  }

  /** The parameters from arrays in {@link #NAMES} order. */
  public static SparseBlockParams of(INDArray[] p) {
    if (p.length != NAMES.length) throw new IllegalArgumentException(NAMES.length + " arrays expected, got " + p.length);
    return new SparseBlockParams(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12],
        p[13], p[14]);
  }

  /** A view of {@code len} values of a flat [1, count] or rank-1 vector from {@code at} on. */
  public static INDArray segment(INDArray flat, long at, long len) {
    var range = org.nd4j.linalg.indexing.NDArrayIndex.interval(at, at + len);
    return flat.rank() == 1 ? flat.get(range) : flat.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), range);
  }

  public INDArray[] all() {
    return new INDArray[] {wx, bx, wq, v, b, conv1, gamma1, beta1, mean1, var1, conv2, gamma2, beta2, mean2, var2};
  }
}
