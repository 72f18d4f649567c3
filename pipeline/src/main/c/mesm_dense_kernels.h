/*
 * The CNN convolutions' gradients for one instruction set and one kernel size, included by
 * mesm_dense.c once per (level, K) with ATTR (the target attribute), SUF (the name suffix), V / VU
 * (aligned and unaligned vectors of VL floats), COB (output channels per weight-gradient tile) and
 * CIB (input channels per input-gradient tile).
 *
 * Both gradients run over zero-padded planes (see mesm_dense.c) as flat arrays: a tap (ky, kx) is
 * the offset ky * wp + kx, so a whole plane is one long vector loop without row edges.
 */
#define CAT3_(a, b, c) a##_##b##_##c
#define CAT3(a, b, c) CAT3_(a, b, c)
#define KFN(name) CAT3(name, SUF, K)
#define LOADV(p) (*(const VU *)(p))
#define STOREV(p, v) (*(VU *)(p) = (v))

ATTR static inline float KFN(hsum)(V v) {
  float s = 0;
#pragma GCC unroll 16
  for (int j = 0; j < VL; j++) s += v[j];
  return s;
}

/*
 * dw[co][ci][ky][kx] += sum over i in [0, len) of dy[co][i] * x[ci][i + ky * wp + kx], for COB
 * output channels at a time: the K input vectors of a row of taps are loaded once for COB
 * channels, and the K x COB sums stay in registers (the loops unroll completely).
 * dy: planes read at the output's first pixel, row stride wp; x: padded planes.
 */
ATTR static void KFN(weight_gradient)(const float *x, const float *dy, int cin, int cout, int wp, long stride,
                                      long len, float *dw) {
  int co = 0;
  for (; co + COB <= cout; co += COB) {
    for (int ci = 0; ci < cin; ci++) {
      const float *xc = x + ci * stride;
      for (int ky = 0; ky < K; ky++) {
        V acc[COB][K];
#pragma GCC unroll 8
        for (int b = 0; b < COB; b++)
#pragma GCC unroll 8
          for (int kx = 0; kx < K; kx++) acc[b][kx] = (V){0};
        const float *xr = xc + (long)ky * wp;
        for (long i = 0; i < len; i += VL) {
          V xv[K];
#pragma GCC unroll 8
          for (int kx = 0; kx < K; kx++) xv[kx] = LOADV(xr + i + kx);
#pragma GCC unroll 8
          for (int b = 0; b < COB; b++) {
            V d = LOADV(dy + (co + b) * stride + i);
#pragma GCC unroll 8
            for (int kx = 0; kx < K; kx++) acc[b][kx] += d * xv[kx];
          }
        }
        for (int b = 0; b < COB; b++) {
          float *out = dw + (((long)(co + b) * cin + ci) * K + ky) * K;
          for (int kx = 0; kx < K; kx++) out[kx] += KFN(hsum)(acc[b][kx]);
        }
      }
    }
  }
  for (; co < cout; co++) {
    for (int ci = 0; ci < cin; ci++) {
      const float *xc = x + ci * stride;
      for (int ky = 0; ky < K; ky++) {
        V acc[K];
#pragma GCC unroll 8
        for (int kx = 0; kx < K; kx++) acc[kx] = (V){0};
        const float *xr = xc + (long)ky * wp;
        for (long i = 0; i < len; i += VL) {
          V d = LOADV(dy + co * stride + i);
#pragma GCC unroll 8
          for (int kx = 0; kx < K; kx++) acc[kx] += d * LOADV(xr + i + kx);
        }
        float *out = dw + (((long)co * cin + ci) * K + ky) * K;
        for (int kx = 0; kx < K; kx++) out[kx] += KFN(hsum)(acc[kx]);
      }
    }
  }
}

/*
 * out[c][i] = sum over co, ky, kx of wf[co][ky][kx][ci0 + c] * dy[co][i + ky * wp + kx] for CIB input
 * channels ci0.. at a time (the weights flipped and their channels padded to CIB with zeros by the
 * caller), i in [0, len): each dy vector is loaded once for CIB sums held in registers.
 * dy: padded planes; out: CIB planes ostride apart, row stride wp.
 */
ATTR static void KFN(input_gradient)(const float *dy, int cout, int wp, long stride, long len, const float *wf,
                                     int cinp, int ci0, float *out, long ostride) {
  for (long i = 0; i < len; i += VL) {
    V acc[CIB];
#pragma GCC unroll 16
    for (int c = 0; c < CIB; c++) acc[c] = (V){0};
    for (int co = 0; co < cout; co++) {
      const float *d = dy + co * stride + i;
      const float *w = wf + (long)co * K * K * cinp + ci0;
#pragma GCC unroll 8
      for (int ky = 0; ky < K; ky++) {
#pragma GCC unroll 8
        for (int kx = 0; kx < K; kx++) {
          V v = LOADV(d + ky * wp + kx);
          const float *wk = w + (ky * K + kx) * cinp;
#pragma GCC unroll 16
          for (int c = 0; c < CIB; c++) acc[c] += wk[c] * v;
        }
      }
    }
#pragma GCC unroll 16
    for (int c = 0; c < CIB; c++) STOREV(out + c * ostride + i, acc[c]);
  }
}

#undef KFN
#undef CAT3
#undef CAT3_
#undef LOADV
#undef STOREV
