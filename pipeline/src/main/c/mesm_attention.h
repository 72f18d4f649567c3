/*
 * MESM's cross-modal attention scores over a block's candidate sites, in one pass (AVX-512):
 *
 *   score_i = tanh(x_i . Wx + q_f(i)) . v + b,   q_f = query_f . Wq + bx (per frame, from the caller)
 *
 * A tile of 6 sites x 64 hidden units keeps x_i . Wx in 24 vector registers through the Cin loop,
 * then adds the frame's query term, applies tanh and multiplies by v while the sums are still in
 * registers, so the [n, Cin] hidden layer is written only when the caller asks for it (SCALED
 * training's backward pass). Through ND4J the same work was a GEMM writing that layer, then a Java
 * pass reading it back for the query term, tanh and score: ~4x the GEMM's own time at block 3's
 * sizes (docs/performance.md).
 *
 * Each site's score sums its hidden units panel by panel in a fixed order, so it does not depend
 * on which other sites share its tile, its thread's range or the call: a site keeps its score, and
 * its place in the nucleus mask, whatever else is in the batch. tanh is FastTanh.java's rational
 * function (same coefficients, |error| < 4e-7).
 */
#ifndef MESM_ATTENTION_H
#define MESM_ATTENTION_H

/* Included by mesm_sparse.c after its wide tile: reuses its W_FMA step, lane_mask and ZERO_ROW. */

#include <immintrin.h>

__attribute__((target("avx512f,fma")))
static inline __m512 tanh_avx512(__m512 x) {
  const __m512 limit = _mm512_set1_ps(9.f);
  x = _mm512_max_ps(_mm512_sub_ps(_mm512_setzero_ps(), limit), _mm512_min_ps(limit, x));
  __m512 t = _mm512_mul_ps(x, x);
  __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(1.358400420e-08f), t, _mm512_set1_ps(2.076951780e-05f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(3.505102849e-03f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.338895148e-01f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(9.999999515e-01f));
  __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(7.868946856e-07f), t, _mm512_set1_ps(3.301363648e-04f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(2.591292113e-02f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(4.672226309e-01f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.f));
  __m512 r = _mm512_div_ps(_mm512_mul_ps(x, p), q);
  const __m512 one = _mm512_set1_ps(1.f);
  return _mm512_max_ps(_mm512_sub_ps(_mm512_setzero_ps(), one), _mm512_min_ps(one, r));
}

/* The frame of site i: the last f with frame_start[f] <= i (frames without sites skipped). */
static int first_frame(const jint *frame_start, int frames, int i) {
  int f = 0;
  while (f < frames - 1 && frame_start[f + 1] <= i) f++;
  return f;
}

#define ATT_ROWS 6
#define ATT_COLUMNS 64

/* Query term, tanh, (hidden layer out), times v: the row's share of its score from this panel. */
#define A_OUT(r)                                                                                  \
  if (r < m) {                                                                                    \
    const float *q = query[r] + j;                                                                \
    __m512 ta = tanh_avx512(_mm512_add_ps(s##r##a, _mm512_maskz_loadu_ps(m0, q)));                \
    __m512 tb = tanh_avx512(_mm512_add_ps(s##r##b, _mm512_maskz_loadu_ps(m1, q + 16)));           \
    __m512 tc = tanh_avx512(_mm512_add_ps(s##r##c, _mm512_maskz_loadu_ps(m2, q + 32)));           \
    __m512 td = tanh_avx512(_mm512_add_ps(s##r##d, _mm512_maskz_loadu_ps(m3, q + 48)));           \
    if (hidden) {                                                                                 \
      float *h = hidden + (long)(r0 + r) * cin + j;                                               \
      _mm512_mask_storeu_ps(h, m0, ta);                                                           \
      _mm512_mask_storeu_ps(h + 16, m1, tb);                                                      \
      _mm512_mask_storeu_ps(h + 32, m2, tc);                                                      \
      _mm512_mask_storeu_ps(h + 48, m3, td);                                                      \
    }                                                                                             \
    __m512 d = _mm512_mul_ps(ta, v0);                                                             \
    d = _mm512_fmadd_ps(tb, v1, d);                                                               \
    d = _mm512_fmadd_ps(tc, v2, d);                                                               \
    d = _mm512_fmadd_ps(td, v3, d);                                                               \
    sum[r] += _mm512_reduce_add_ps(d);                                                            \
  }

/*
 * q_f = query_f . Wq + bx for frames [f0, f1) into term[(f - f0) * cin ...]: query [frames, d],
 * wq [d, cin], bx [cin]. Summed over d in order, 16 columns at a time.
 */
__attribute__((target("avx512f,fma")))
static void query_terms(const float *query, int d, const float *wq, const float *bx, int cin, int f0, int f1,
                        float *term) {
  for (int f = f0; f < f1; f++) {
    float *t = term + (long)(f - f0) * cin;
    const float *q = query + (long)f * d;
    for (int j = 0; j < cin; j += 16) {
      __mmask16 m = lane_mask(cin, j);
      __m512 s = _mm512_maskz_loadu_ps(m, bx + j);
      for (int k = 0; k < d; k++) s = _mm512_fmadd_ps(_mm512_set1_ps(q[k]), _mm512_maskz_loadu_ps(m, wq + (long)k * cin + j), s);
      _mm512_mask_storeu_ps(t + j, m, s);
    }
  }
}

/*
 * Scores of sites [from, to): x [n, cin] and hidden [n, cin] (or null) c-order; wx [cin, cin];
 * query_term [frames, cin] the per-frame term q_f from frame f_base on; frame_start [frames + 1]
 * the sites of each frame; v [cin]. Masked loads read nothing past a row's cin values and zero the
 * lanes beyond, whose tanh (of 0) then meets v's zero lanes.
 */
__attribute__((target("avx512f,fma")))
static void attention_scores(const float *x, int cin, const float *wx, const float *query_term, int f_base,
                             const jint *frame_start, int frames, const float *v, float bias, int from, int to,
                             float *scores, float *hidden) {
  int f = first_frame(frame_start, frames, from);
  for (int r0 = from; r0 < to; r0 += ATT_ROWS) {
    int m = to - r0 < ATT_ROWS ? to - r0 : ATT_ROWS;
    const float *rows[ATT_ROWS];
    const float *query[ATT_ROWS];
    float sum[ATT_ROWS] = {0};
    for (int r = 0; r < ATT_ROWS; r++) {
      if (r < m) {
        while (f < frames - 1 && frame_start[f + 1] <= r0 + r) f++;
        rows[r] = x + (long)(r0 + r) * cin;
        query[r] = query_term + (long)(f - f_base) * cin;
      } else {
        rows[r] = ZERO_ROW;
        query[r] = ZERO_ROW;
      }
    }
    for (int j = 0; j < cin; j += ATT_COLUMNS) {
      int width = cin - j;
      __mmask16 m0 = lane_mask(width, 0), m1 = lane_mask(width, 16), m2 = lane_mask(width, 32), m3 = lane_mask(width, 48);
      __m512 s0a = _mm512_setzero_ps(), s0b = s0a, s0c = s0a, s0d = s0a, s1a = s0a, s1b = s0a, s1c = s0a, s1d = s0a;
      __m512 s2a = s0a, s2b = s0a, s2c = s0a, s2d = s0a, s3a = s0a, s3b = s0a, s3c = s0a, s3d = s0a;
      __m512 s4a = s0a, s4b = s0a, s4c = s0a, s4d = s0a, s5a = s0a, s5b = s0a, s5c = s0a, s5d = s0a;
      for (int c = 0; c < cin; c++) {
        const float *wc = wx + (long)c * cin + j;
        __m512 w0 = _mm512_maskz_loadu_ps(m0, wc);
        __m512 w1 = _mm512_maskz_loadu_ps(m1, wc + 16);
        __m512 w2 = _mm512_maskz_loadu_ps(m2, wc + 32);
        __m512 w3 = _mm512_maskz_loadu_ps(m3, wc + 48);
        W_FMA(0) W_FMA(1) W_FMA(2) W_FMA(3) W_FMA(4) W_FMA(5)
      }
      __m512 v0 = _mm512_maskz_loadu_ps(m0, v + j), v1 = _mm512_maskz_loadu_ps(m1, v + j + 16);
      __m512 v2 = _mm512_maskz_loadu_ps(m2, v + j + 32), v3 = _mm512_maskz_loadu_ps(m3, v + j + 48);
      A_OUT(0) A_OUT(1) A_OUT(2) A_OUT(3) A_OUT(4) A_OUT(5)
    }
    for (int r = 0; r < m; r++) scores[r0 + r] = sum[r] + bias;
  }
}

#endif
