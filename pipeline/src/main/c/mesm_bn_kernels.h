/*
 * BatchNorm + ReLU over a range of channels for one instruction set, included by mesm_dense.c once
 * per level with ATTR, SUF, VF / VFU (float vectors of VD_LANES lanes, aligned and unaligned), VI (int
 * vectors of as many lanes: the comparisons' masks) and VD (double vectors of as many lanes). Values in float, sums in double lanes (as the Java layer sums
 * in double), y = max(0, a·x + b) with a and b rounded to float.
 */
#define BCAT_(a, b) a##_##b
#define BCAT(a, b) BCAT_(a, b)
#define BFN(name) BCAT(name, SUF)

ATTR static inline double BFN(dsum)(VD v) {
  double s = 0;
  for (int j = 0; j < VD_LANES; j++) s += v[j];
  return s;
}

/*
 * y[s][c] = max(0, a[c]·x[s][c] + b[c]) for c in [c0, c1); in training mean[c] and var[c] (biased)
 * are first computed from the batch, otherwise read; a and b are written.
 */
ATTR static void BFN(bn_relu_forward)(const float *x, float *y, int n, int channels, long plane, int c0, int c1,
                                      int training, const double *gamma, const double *beta, double eps, double *mean,
                                      double *var, double *a, double *b) {
  double count = (double)n * plane;
  for (int c = c0; c < c1; c++) {
    if (training) {
      VD s = {0}, q = {0};
      double st = 0, qt = 0;
      for (int e = 0; e < n; e++) {
        const float *p = x + ((long)e * channels + c) * plane;
        long i = 0;
        for (; i + VD_LANES <= plane; i += VD_LANES) {
          VD d = __builtin_convertvector(*(const VFU *)(p + i), VD);
          s += d;
          q += d * d;
        }
        for (; i < plane; i++) {
          st += p[i];
          qt += (double)p[i] * p[i];
        }
      }
      double m = (BFN(dsum)(s) + st) / count;
      double v = (BFN(dsum)(q) + qt) / count - m * m;
      mean[c] = m;
      var[c] = v > 0 ? v : 0;
    }
    a[c] = gamma[c] / sqrt(var[c] + eps);
    b[c] = beta[c] - mean[c] * a[c];
    float fa = (float)a[c], fb = (float)b[c];
    VF va = {0}, vb = {0}, zero = {0};
    va += fa;
    vb += fb;
    for (int e = 0; e < n; e++) {
      long at = ((long)e * channels + c) * plane;
      const float *p = x + at;
      float *o = y + at;
      long i = 0;
      for (; i + VD_LANES <= plane; i += VD_LANES) {
        VF z = va * *(const VFU *)(p + i) + vb;
        *(VFU *)(o + i) = (VF)((VI)z & (z > zero));
      }
      for (; i < plane; i++) {
        float z = fa * p[i] + fb;
        o[i] = z > 0 ? z : 0;
      }
    }
  }
}

/*
 * The backward pass for channels [c0, c1): g = dy where a·x + b > 0 (else 0), dβ = Σg,
 * dγ = (Σg·x − mean·Σg)/std, dx = c0 + a·g + c1·x (the batch statistics' terms folded into c0, c1).
 */
ATTR static void BFN(bn_relu_backward)(const float *x, const float *dy, float *dx, int n, int channels, long plane,
                                       int c0, int c1, const double *a, const double *b, const double *mean,
                                       const double *std, double *dgamma, double *dbeta) {
  double count = (double)n * plane;
  for (int c = c0; c < c1; c++) {
    float fa = (float)a[c], fb = (float)b[c];
    VF va = {0}, vb = {0}, zero = {0};
    va += fa;
    vb += fb;
    VD sg = {0}, sgx = {0};
    double sgt = 0, sgxt = 0;
    for (int e = 0; e < n; e++) {
      long at = ((long)e * channels + c) * plane;
      const float *px = x + at, *pg = dy + at;
      long i = 0;
      for (; i + VD_LANES <= plane; i += VD_LANES) {
        VF xv = *(const VFU *)(px + i);
        VF z = va * xv + vb;
        VF g = (VF)((VI) * (const VFU *)(pg + i) & (z > zero));
        VD gd = __builtin_convertvector(g, VD);
        sg += gd;
        sgx += gd * __builtin_convertvector(xv, VD);
      }
      for (; i < plane; i++) {
        float g = fa * px[i] + fb > 0 ? pg[i] : 0;
        sgt += g;
        sgxt += (double)g * px[i];
      }
    }
    double sumG = BFN(dsum)(sg) + sgt, sumGx = BFN(dsum)(sgx) + sgxt;
    dbeta[c] = sumG;
    dgamma[c] = (sumGx - mean[c] * sumG) / std[c];
    double k1 = -a[c] * dgamma[c] / (count * std[c]);
    double k0 = -a[c] * dbeta[c] / count - k1 * mean[c];
    float f0 = (float)k0, f1 = (float)k1;
    VF v0 = {0}, v1 = {0};
    v0 += f0;
    v1 += f1;
    for (int e = 0; e < n; e++) {
      long at = ((long)e * channels + c) * plane;
      const float *px = x + at, *pg = dy + at;
      float *o = dx + at;
      long i = 0;
      for (; i + VD_LANES <= plane; i += VD_LANES) {
        VF xv = *(const VFU *)(px + i);
        VF z = va * xv + vb;
        VF g = (VF)((VI) * (const VFU *)(pg + i) & (z > zero));
        *(VFU *)(o + i) = v0 + va * g + v1 * xv;
      }
      for (; i < plane; i++) {
        float g = fa * px[i] + fb > 0 ? pg[i] : 0;
        o[i] = f0 + fa * g + f1 * px[i];
      }
    }
  }
}

#undef BFN
#undef BCAT
#undef BCAT_
