/*
 * The dense CNN's inference pass (FE2E's whole CNN, MESM's dense stem) on BatchNorm-folded weights,
 * AVX-512 only, included by mesm_dense.c; called through ai.mesm.model.layers.CnnKernels.inferCnn.
 *
 * One frame at a time, every activation stays in one layout, pixel-major with the channels padded to
 * 16 (NHWC), inside a zero border as wide as the next convolution's padding: no reorder between
 * layers, and a frame's maps (at most ~1 MB) stay in the core's cache from layer to layer. A
 * convolution's tile keeps PX neighbouring output pixels x NV x 16 output channels in vector
 * registers through all taps and input channels (6 x 64 for a 64-channel block: 24 accumulators,
 * 4 weight vectors, one broadcast; 12 x 32 and 16 x 16 for narrower blocks), adds the bias and applies the ReLU before its one
 * store. Why: DL4J's convolution layers run oneDNN, which reorders each layer's input and output
 * between DL4J's NCHW and its blocked layout (~40 % of a stem convolution's time); this ran the stem
 * at ~420 GFLOP/s against ~250 (docs/performance.md).
 */
#include <immintrin.h>

typedef float c16u __attribute__((vector_size(64), aligned(4)));
#define CI_ATTR __attribute__((target("avx512f,fma")))
#define CI_MAX_LAYERS 64

#define CI_TILE(PX, NV)                                                                                           \
  CI_ATTR static void ci_tile_##PX##_##NV(const float *x, int cin, int xpix, const int *toff, int taps,          \
                                          const float *w, const float *bias, float *out, int opix) {             \
    c16u acc[PX][NV];                                                                                             \
    _Pragma("GCC unroll 16") for (int p = 0; p < PX; p++)                                                         \
    _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) acc[p][v] = *(const c16u *)(bias + v * 16);             \
    for (int t = 0; t < taps; t++) {                                                                              \
      const float *xt = x + toff[t];                                                                              \
      const float *wt = w + (long)t * cin * NV * 16;                                                              \
      for (int c = 0; c < cin; c++) {                                                                             \
        c16u wv[NV];                                                                                              \
        _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) wv[v] = *(const c16u *)(wt + (c * NV + v) * 16);    \
        _Pragma("GCC unroll 16") for (int p = 0; p < PX; p++) {                                                   \
          float s = xt[p * xpix + c];                                                                             \
          _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) acc[p][v] += s * wv[v];                            \
        }                                                                                                         \
      }                                                                                                           \
    }                                                                                                             \
    _Pragma("GCC unroll 16") for (int p = 0; p < PX; p++)                                                         \
    _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++)                                                          \
      *(c16u *)(out + p * opix + v * 16) = (c16u)_mm512_max_ps((__m512)acc[p][v], _mm512_setzero_ps());          \
  }

typedef void (*ci_tile_fn)(const float *, int, int, const int *, int, const float *, const float *, float *, int);

/* Pixels per tile: 24 accumulators for blocks of 4 vectors, 24 or 16 for narrower blocks. */
#define CI_PX4 6
#define CI_PX2 12
#define CI_PX1 16
CI_TILE(1, 4) CI_TILE(2, 4) CI_TILE(3, 4) CI_TILE(4, 4) CI_TILE(5, 4) CI_TILE(6, 4)
CI_TILE(1, 2) CI_TILE(2, 2) CI_TILE(3, 2) CI_TILE(4, 2) CI_TILE(5, 2) CI_TILE(6, 2) CI_TILE(7, 2) CI_TILE(8, 2)
CI_TILE(9, 2) CI_TILE(10, 2) CI_TILE(11, 2) CI_TILE(12, 2)
CI_TILE(1, 1) CI_TILE(2, 1) CI_TILE(3, 1) CI_TILE(4, 1) CI_TILE(5, 1) CI_TILE(6, 1) CI_TILE(7, 1) CI_TILE(8, 1)
CI_TILE(9, 1) CI_TILE(10, 1) CI_TILE(11, 1) CI_TILE(12, 1) CI_TILE(13, 1) CI_TILE(14, 1) CI_TILE(15, 1) CI_TILE(16, 1)

static const ci_tile_fn CI_TILES4[] = {0, ci_tile_1_4, ci_tile_2_4, ci_tile_3_4, ci_tile_4_4, ci_tile_5_4, ci_tile_6_4};
static const ci_tile_fn CI_TILES2[] = {0, ci_tile_1_2, ci_tile_2_2, ci_tile_3_2, ci_tile_4_2, ci_tile_5_2, ci_tile_6_2,
                                       ci_tile_7_2, ci_tile_8_2, ci_tile_9_2, ci_tile_10_2, ci_tile_11_2, ci_tile_12_2};
static const ci_tile_fn CI_TILES1[] = {0, ci_tile_1_1, ci_tile_2_1, ci_tile_3_1, ci_tile_4_1, ci_tile_5_1, ci_tile_6_1,
                                       ci_tile_7_1, ci_tile_8_1, ci_tile_9_1, ci_tile_10_1, ci_tile_11_1, ci_tile_12_1,
                                       ci_tile_13_1, ci_tile_14_1, ci_tile_15_1, ci_tile_16_1};

/* An activation of one frame: h x w pixels of cs floats each, inside a zero border of pad pixels. */
typedef struct {
  float *data;
  int h, w, cs, pad;
} ci_map;

static float *ci_at(const ci_map *m, int y, int x) {
  return m->data + ((long)(y + m->pad) * (m->w + 2 * m->pad) + x + m->pad) * m->cs;
}

static void ci_zero_border(const ci_map *m) {
  if (m->pad == 0) return;
  long row = (long)(m->w + 2 * m->pad) * m->cs;
  memset(m->data, 0, sizeof(float) * row * m->pad);
  memset(m->data + row * (m->pad + m->h), 0, sizeof(float) * row * m->pad);
  for (int y = 0; y < m->h; y++) {
    float *r = m->data + row * (y + m->pad);
    memset(r, 0, sizeof(float) * m->pad * m->cs);
    memset(r + (long)(m->pad + m->w) * m->cs, 0, sizeof(float) * m->pad * m->cs);
  }
}

/* Vectors of 16 output channels in the next block: 4, else 2, else 1 (PackedCnnWeights cuts the same blocks). */
static int ci_block(int remaining) { return remaining >= 64 ? 4 : remaining >= 32 ? 2 : 1; }

/* out = relu(conv(in) + bias) over k x k taps; in's border is the padding, w packed by ci_conv's blocks. */
static void ci_conv(const ci_map *in, int k, const float *w, const float *bias, const ci_map *out) {
  int wp = in->w + 2 * in->pad, taps = k * k, cin = in->cs;
  int toff[25];
  for (int ky = 0; ky < k; ky++)
    for (int kx = 0; kx < k; kx++) toff[ky * k + kx] = (ky * wp + kx) * cin;
  const float *x0 = in->data; /* in->pad == k / 2: output pixel (y, x) reads input rows y .. y + k - 1 of the padded map */
  for (int cb = 0, nv; cb < out->cs; cb += nv * 16) {
    nv = ci_block(out->cs - cb);
    const ci_tile_fn *tiles = nv == 4 ? CI_TILES4 : nv == 2 ? CI_TILES2 : CI_TILES1;
    int most = nv == 4 ? CI_PX4 : nv == 2 ? CI_PX2 : CI_PX1;
    const float *wb = w + (long)cb * taps * cin;
    for (int y = 0; y < out->h; y++) {
      for (int x = 0; x < out->w; x += most) {
        int m = out->w - x < most ? out->w - x : most;
        tiles[m](x0 + ((long)y * wp + x) * cin, cin, cin, toff, taps, wb, bias + cb, ci_at(out, y, x) + cb, out->cs);
      }
    }
  }
}

/* 2 x 2 max-pool with stride 2 (odd edges dropped); in has no border. */
CI_ATTR static void ci_pool(const ci_map *in, const ci_map *out) {
  for (int y = 0; y < out->h; y++) {
    for (int x = 0; x < out->w; x++) {
      const float *a = ci_at(in, 2 * y, 2 * x), *b = ci_at(in, 2 * y + 1, 2 * x);
      float *o = ci_at(out, y, x);
      for (int j = 0; j < in->cs; j += 16) {
        __m512 m = _mm512_max_ps(_mm512_max_ps(_mm512_loadu_ps(a + j), _mm512_loadu_ps(a + in->cs + j)),
                                 _mm512_max_ps(_mm512_loadu_ps(b + j), _mm512_loadu_ps(b + in->cs + j)));
        _mm512_storeu_ps(o + j, m);
      }
    }
  }
}

static int ci_cs(int channels) { return (channels + 15) / 16 * 16; }

/*
 * y [frames][cout][h'][w'] = the CNN of layers (kernel[l] = 3 or 5: a same-padded convolution to
 * cout[l] channels with bias and ReLU; 0: a 2 x 2 max-pool) on x [frames][c0][h][w]. The first layer
 * is a convolution. w: per convolution, per block of 64, 32 or 16 output channels (channels padded to
 * 16; ci_block), [tap][input channel][block's channels], input channels c0 for the first layer and padded to
 * 16 after; bias: per convolution, cout padded to 16. Returns 0, or -1 when out of memory.
 */
static int cnn_infer(const float *x, int frames, int c0, int h0, int w0, int nl, const int *kernel, const int *cout,
                     const float *w, const float *bias, int channels_last, float *y) {
  int hs[CI_MAX_LAYERS + 1], ws[CI_MAX_LAYERS + 1], cs[CI_MAX_LAYERS + 1], pads[CI_MAX_LAYERS + 1];
  hs[0] = h0, ws[0] = w0, cs[0] = c0;
  for (int l = 0; l < nl; l++) {
    hs[l + 1] = kernel[l] ? hs[l] : hs[l] / 2;
    ws[l + 1] = kernel[l] ? ws[l] : ws[l] / 2;
    cs[l + 1] = kernel[l] ? ci_cs(cout[l]) : cs[l];
    pads[l] = kernel[l] / 2;
  }
  pads[nl] = 0;
  long most = 0;
  for (int l = 0; l <= nl; l++) {
    long size = (long)(hs[l] + 2 * pads[l]) * (ws[l] + 2 * pads[l]) * cs[l];
    if (size > most) most = size;
  }
  int real = cs[nl];
  for (int l = nl - 1; l >= 0; l--)
    if (kernel[l]) {
      real = cout[l];
      break;
    }
  float *buffers[2] = {aligned_alloc(64, sizeof(float) * (most + 64)), aligned_alloc(64, sizeof(float) * (most + 64))};
  if (!buffers[0] || !buffers[1]) {
    free(buffers[0]);
    free(buffers[1]);
    return -1;
  }
  for (int f = 0; f < frames; f++) {
    ci_map cur = {buffers[0], h0, w0, c0, pads[0]};
    ci_zero_border(&cur);
    const float *src = x + (long)f * c0 * h0 * w0;
    for (int c = 0; c < c0; c++)
      for (int r = 0; r < h0; r++)
        for (int q = 0; q < w0; q++) ci_at(&cur, r, q)[c] = src[((long)c * h0 + r) * w0 + q];
    const float *wl = w, *bl = bias;
    for (int l = 0; l < nl; l++) {
      ci_map next = {buffers[(l + 1) & 1], hs[l + 1], ws[l + 1], cs[l + 1], pads[l + 1]};
      ci_zero_border(&next);
      if (kernel[l]) {
        ci_conv(&cur, kernel[l], wl, bl, &next);
        wl += (long)kernel[l] * kernel[l] * cs[l] * cs[l + 1];
        bl += cs[l + 1];
      } else {
        ci_pool(&cur, &next);
      }
      cur = next;
    }
    float *dst = y + (long)f * real * cur.h * cur.w;
    if (channels_last) {
      for (int r = 0; r < cur.h; r++)
        for (int q = 0; q < cur.w; q++) memcpy(dst + ((long)r * cur.w + q) * real, ci_at(&cur, r, q), sizeof(float) * real);
    } else {
      /* Channel by channel: pixel by pixel, each write landed a plane (4 KB for 64 x 16) after the last. */
      for (int c = 0; c < real; c++)
        for (int r = 0; r < cur.h; r++)
          for (int q = 0; q < cur.w; q++) dst[((long)c * cur.h + r) * cur.w + q] = ci_at(&cur, r, q)[c];
    }
  }
  free(buffers[0]);
  free(buffers[1]);
  return 0;
}
