/*
 * Native kernel of MESM's submanifold 3x3 convolution, called by ai.mesm.model.sparse.NativeKernels.
 *
 * out[t] (+)= x[s] . W_k for every (site t, neighbour s) pair of offset k, taken from the
 * rulebook's neighbour table a chunk of sites at a time (the centre offset being every site
 * with itself). A tile of up
 * to 6 pairs x 64 output channels (8 x 32 for an offset with few pairs; 6 x 16 with AVX2) keeps its sums in vector registers through the whole Cin loop
 * and reads the neighbours' rows in place: no gathered copy and no product matrix, so the work is
 * the real pairs x Cin x Cout at close to the CPU's FMA rate. Why native: gather + GEMM through
 * ND4J ran at half the rate of the dense layers' oneDNN convolution, and the same loop in the
 * JDK's incubating Vector API compiled unreliably (docs/performance.md, "What was tried").
 *
 * Threads: the caller splits the sites (or, for few sites, the output channels) over its own
 * threads; one call writes only its sites' rows, and only the columns of its range.
 *
 * The same library holds the blocks' other inference passes: the attention scores
 * (mesm_attention.h), the sparse max-pool and the last block's dense map.
 */
#include <jni.h>
#include <stdint.h>
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>
#include "mesm_cpu.h"

#define OFFSETS 9
#define CENTRE 4
/* Sites per pass: their output rows of one channel panel stay in L1/L2 while 9 offsets add into them. */
#define CHUNK 256
#define MAX_TILE 8
#define MAX_CIN 16384

/* The centre first: it stores, every other offset adds. Otherwise as the Java kernels sum. */
static const int ORDER[OFFSETS] = {CENTRE, 0, 1, 2, 3, 5, 6, 7, 8};
static const float ZERO_ROW[MAX_CIN] __attribute__((aligned(64)));

/* One tile: rows[0..MR) . w (Cin x width, row stride cout) into outs[0..m), stored or added (flags). */
typedef void (*tile_fn)(const float *const *rows, float *const *outs, int m, int cin, const float *w, int cout,
                        int width, int flags);
#define TILE_ADD 1
/*
 * The first tile of an offset and panel reads that weight slice from memory (block 3's 14 MB of
 * weights do not stay in cache from one call to the next): it asks for the weight row PREFETCH_ROWS
 * ahead, so that the row is on its way while the FMAs run; later tiles find the slice in cache.
 * Block 3's convolutions 3.6 -> 2.4 ms, block 2's 3.4 -> 2.9 (docs/performance.md); prefetching in
 * every tile, or 8 or 32 rows ahead, was no better.
 */
#define TILE_PREFETCH 2
#define PREFETCH_ROWS 16

/*
 * The tiles' sums are named variables, not arrays: GCC kept an accumulator array in memory and
 * stored all of it in every iteration of the Cin loop (2.4x slower).
 */

/* ---------- AVX-512: 8 pairs x 32 channels, 16 accumulators ---------- */
#define Z_FMA(r)                                  \
  {                                               \
    __m512 b = _mm512_set1_ps(rows[r][c]);        \
    s##r##a = _mm512_fmadd_ps(b, w0, s##r##a);    \
    s##r##b = _mm512_fmadd_ps(b, w1, s##r##b);    \
  }
#define Z_OUT(r)                                                                           \
  if (r < m) {                                                                             \
    float *o = outs[r];                                                                    \
    if (add) {                                                                             \
      s##r##a = _mm512_add_ps(_mm512_maskz_loadu_ps(m0, o), s##r##a);                      \
      s##r##b = _mm512_add_ps(_mm512_maskz_loadu_ps(m1, o + 16), s##r##b);                 \
    }                                                                                      \
    _mm512_mask_storeu_ps(o, m0, s##r##a);                                                 \
    _mm512_mask_storeu_ps(o + 16, m1, s##r##b);                                            \
  }

__attribute__((target("avx512f,fma")))
static void tile_avx512(const float *const *rows, float *const *outs, int m, int cin, const float *w, int cout,
                        int width, int flags) {
  int add = flags & TILE_ADD, prefetch = flags & TILE_PREFETCH;
  __mmask16 m0 = width >= 16 ? 0xFFFF : (__mmask16)((1u << width) - 1);
  __mmask16 m1 = width >= 32 ? 0xFFFF : width <= 16 ? 0 : (__mmask16)((1u << (width - 16)) - 1);
  __m512 s0a = _mm512_setzero_ps(), s0b = s0a, s1a = s0a, s1b = s0a, s2a = s0a, s2b = s0a, s3a = s0a, s3b = s0a;
  __m512 s4a = s0a, s4b = s0a, s5a = s0a, s5b = s0a, s6a = s0a, s6b = s0a, s7a = s0a, s7b = s0a;
  for (int c = 0; c < cin; c++) {
    const float *wc = w + (long)c * cout;
    __m512 w0 = _mm512_maskz_loadu_ps(m0, wc);
    __m512 w1 = _mm512_maskz_loadu_ps(m1, wc + 16);
    if (prefetch) {
      const char *ahead = (const char *)(wc + (long)PREFETCH_ROWS * cout);
      _mm_prefetch(ahead, _MM_HINT_T0);
      _mm_prefetch(ahead + 64, _MM_HINT_T0);
    }
    Z_FMA(0) Z_FMA(1) Z_FMA(2) Z_FMA(3) Z_FMA(4) Z_FMA(5) Z_FMA(6) Z_FMA(7)
  }
  Z_OUT(0) Z_OUT(1) Z_OUT(2) Z_OUT(3) Z_OUT(4) Z_OUT(5) Z_OUT(6) Z_OUT(7)
}

/* ---------- AVX-512: 6 pairs x 64 channels, 24 accumulators ---------- */
#define W_FMA(r)                                  \
  {                                               \
    __m512 b = _mm512_set1_ps(rows[r][c]);        \
    s##r##a = _mm512_fmadd_ps(b, w0, s##r##a);    \
    s##r##b = _mm512_fmadd_ps(b, w1, s##r##b);    \
    s##r##c = _mm512_fmadd_ps(b, w2, s##r##c);    \
    s##r##d = _mm512_fmadd_ps(b, w3, s##r##d);    \
  }
#define W_OUT(r)                                                                           \
  if (r < m) {                                                                             \
    float *o = outs[r];                                                                    \
    if (add) {                                                                             \
      s##r##a = _mm512_add_ps(_mm512_maskz_loadu_ps(m0, o), s##r##a);                      \
      s##r##b = _mm512_add_ps(_mm512_maskz_loadu_ps(m1, o + 16), s##r##b);                 \
      s##r##c = _mm512_add_ps(_mm512_maskz_loadu_ps(m2, o + 32), s##r##c);                 \
      s##r##d = _mm512_add_ps(_mm512_maskz_loadu_ps(m3, o + 48), s##r##d);                 \
    }                                                                                      \
    _mm512_mask_storeu_ps(o, m0, s##r##a);                                                 \
    _mm512_mask_storeu_ps(o + 16, m1, s##r##b);                                            \
    _mm512_mask_storeu_ps(o + 32, m2, s##r##c);                                            \
    _mm512_mask_storeu_ps(o + 48, m3, s##r##d);                                            \
  }

static __mmask16 lane_mask(int width, int from) {
  int n = width - from;
  return n >= 16 ? 0xFFFF : n <= 0 ? 0 : (__mmask16)((1u << n) - 1);
}

__attribute__((target("avx512f,fma")))
static void tile_avx512_wide(const float *const *rows, float *const *outs, int m, int cin, const float *w, int cout,
                             int width, int flags) {
  int add = flags & TILE_ADD, prefetch = flags & TILE_PREFETCH;
  __mmask16 m0 = lane_mask(width, 0), m1 = lane_mask(width, 16), m2 = lane_mask(width, 32), m3 = lane_mask(width, 48);
  __m512 s0a = _mm512_setzero_ps(), s0b = s0a, s0c = s0a, s0d = s0a, s1a = s0a, s1b = s0a, s1c = s0a, s1d = s0a;
  __m512 s2a = s0a, s2b = s0a, s2c = s0a, s2d = s0a, s3a = s0a, s3b = s0a, s3c = s0a, s3d = s0a;
  __m512 s4a = s0a, s4b = s0a, s4c = s0a, s4d = s0a, s5a = s0a, s5b = s0a, s5c = s0a, s5d = s0a;
  for (int c = 0; c < cin; c++) {
    const float *wc = w + (long)c * cout;
    __m512 w0 = _mm512_maskz_loadu_ps(m0, wc);
    __m512 w1 = _mm512_maskz_loadu_ps(m1, wc + 16);
    __m512 w2 = _mm512_maskz_loadu_ps(m2, wc + 32);
    __m512 w3 = _mm512_maskz_loadu_ps(m3, wc + 48);
    if (prefetch) {
      const char *ahead = (const char *)(wc + (long)PREFETCH_ROWS * cout);
      for (int line = 0; line < 256; line += 64) _mm_prefetch(ahead + line, _MM_HINT_T0);
    }
    W_FMA(0) W_FMA(1) W_FMA(2) W_FMA(3) W_FMA(4) W_FMA(5)
  }
  W_OUT(0) W_OUT(1) W_OUT(2) W_OUT(3) W_OUT(4) W_OUT(5)
}

#include "mesm_attention.h"

/* ---------- AVX2: 6 pairs x 16 channels, 12 accumulators ---------- */
#define Y_FMA(r)                                  \
  {                                               \
    __m256 b = _mm256_broadcast_ss(rows[r] + c);  \
    s##r##a = _mm256_fmadd_ps(b, w0, s##r##a);    \
    s##r##b = _mm256_fmadd_ps(b, w1, s##r##b);    \
  }
#define Y_OUT(r)                                                                 \
  if (r < m) {                                                                   \
    float *o = outs[r];                                                          \
    if (add) {                                                                   \
      s##r##a = _mm256_add_ps(_mm256_maskload_ps(o, k0), s##r##a);               \
      s##r##b = _mm256_add_ps(_mm256_maskload_ps(o + 8, k1), s##r##b);           \
    }                                                                            \
    _mm256_maskstore_ps(o, k0, s##r##a);                                         \
    _mm256_maskstore_ps(o + 8, k1, s##r##b);                                     \
  }

__attribute__((target("avx2,fma")))
static void tile_avx2(const float *const *rows, float *const *outs, int m, int cin, const float *w, int cout,
                      int width, int flags) {
  int add = flags & TILE_ADD;
  __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i k0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(width), lane);
  __m256i k1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(width - 8), lane);
  __m256 s0a = _mm256_setzero_ps(), s0b = s0a, s1a = s0a, s1b = s0a, s2a = s0a, s2b = s0a;
  __m256 s3a = s0a, s3b = s0a, s4a = s0a, s4b = s0a, s5a = s0a, s5b = s0a;
  for (int c = 0; c < cin; c++) {
    const float *wc = w + (long)c * cout;
    __m256 w0 = _mm256_maskload_ps(wc, k0);
    __m256 w1 = _mm256_maskload_ps(wc + 8, k1);
    Y_FMA(0) Y_FMA(1) Y_FMA(2) Y_FMA(3) Y_FMA(4) Y_FMA(5)
  }
  Y_OUT(0) Y_OUT(1) Y_OUT(2) Y_OUT(3) Y_OUT(4) Y_OUT(5)
}

/*
 * Weight gradient tiles: dW_k[c0 + i, j..] += x[s][c0 + i] * dy[t][j..] over a run of pairs (t, s)
 * of one offset; 8 input channels x 32 output channels (AVX-512) or 4 x 16 (AVX2) in registers.
 * The caller passes the pairs' row pointers already offset to c0 and j.
 */
#define ZW_FMA(i)                                                   \
  {                                                                 \
    __m512 b = _mm512_set1_ps(a[i]);                                \
    g##i##a = _mm512_fmadd_ps(b, d0, g##i##a);                      \
    g##i##b = _mm512_fmadd_ps(b, d1, g##i##b);                      \
  }
#define ZW_LOAD(i)                                                  \
  __m512 g##i##a = _mm512_maskz_loadu_ps(m0, dw + (long)i * cout);                \
  __m512 g##i##b = _mm512_maskz_loadu_ps(m1, dw + (long)i * cout + 16);
#define ZW_STORE(i)                                                 \
  _mm512_mask_storeu_ps(dw + (long)i * cout, m0, g##i##a);          \
  _mm512_mask_storeu_ps(dw + (long)i * cout + 16, m1, g##i##b);

typedef void (*grad_tile_fn)(const float *const *xs, const float *const *ds, int pairs, float *dw, int cout,
                             int width);

__attribute__((target("avx512f,fma")))
static void grad_tile_avx512(const float *const *xs, const float *const *ds, int pairs, float *dw, int cout,
                             int width) {
  __mmask16 m0 = width >= 16 ? 0xFFFF : (__mmask16)((1u << width) - 1);
  __mmask16 m1 = width >= 32 ? 0xFFFF : width <= 16 ? 0 : (__mmask16)((1u << (width - 16)) - 1);
  ZW_LOAD(0) ZW_LOAD(1) ZW_LOAD(2) ZW_LOAD(3) ZW_LOAD(4) ZW_LOAD(5) ZW_LOAD(6) ZW_LOAD(7)
  for (int r = 0; r < pairs; r++) {
    const float *a = xs[r];
    __m512 d0 = _mm512_maskz_loadu_ps(m0, ds[r]);
    __m512 d1 = _mm512_maskz_loadu_ps(m1, ds[r] + 16);
    ZW_FMA(0) ZW_FMA(1) ZW_FMA(2) ZW_FMA(3) ZW_FMA(4) ZW_FMA(5) ZW_FMA(6) ZW_FMA(7)
  }
  ZW_STORE(0) ZW_STORE(1) ZW_STORE(2) ZW_STORE(3) ZW_STORE(4) ZW_STORE(5) ZW_STORE(6) ZW_STORE(7)
}

#define YW_FMA(i)                                                   \
  {                                                                 \
    __m256 b = _mm256_broadcast_ss(a + i);                          \
    g##i##a = _mm256_fmadd_ps(b, d0, g##i##a);                      \
    g##i##b = _mm256_fmadd_ps(b, d1, g##i##b);                      \
  }
#define YW_LOAD(i)                                                  \
  __m256 g##i##a = _mm256_maskload_ps(dw + (long)i * cout, k0);                   \
  __m256 g##i##b = _mm256_maskload_ps(dw + (long)i * cout + 8, k1);
#define YW_STORE(i)                                                 \
  _mm256_maskstore_ps(dw + (long)i * cout, k0, g##i##a);            \
  _mm256_maskstore_ps(dw + (long)i * cout + 8, k1, g##i##b);

__attribute__((target("avx2,fma")))
static void grad_tile_avx2(const float *const *xs, const float *const *ds, int pairs, float *dw, int cout,
                           int width) {
  __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i k0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(width), lane);
  __m256i k1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(width - 8), lane);
  YW_LOAD(0) YW_LOAD(1) YW_LOAD(2) YW_LOAD(3)
  for (int r = 0; r < pairs; r++) {
    const float *a = xs[r];
    __m256 d0 = _mm256_maskload_ps(ds[r], k0);
    __m256 d1 = _mm256_maskload_ps(ds[r] + 8, k1);
    YW_FMA(0) YW_FMA(1) YW_FMA(2) YW_FMA(3)
  }
  YW_STORE(0) YW_STORE(1) YW_STORE(2) YW_STORE(3)
}

/*
 * The (site, neighbour) pairs of offset k among sites [s0, s1), from the rulebook's neighbour
 * table (nbr[t * 9 + k], -1 where inactive): at most CHUNK sites, so they fit on the stack.
 */
static int pairs_of(const jint *nbr, int k, int s0, int s1, jint *targets, jint *sources) {
  int count = 0;
  for (int t = s0; t < s1; t++) {
    jint s = nbr[(long)t * OFFSETS + k];
    if (s >= 0) {
      targets[count] = t;
      sources[count++] = s;
    }
  }
  return count;
}

/* y = max(0, y * scale + shift) per channel: inference BatchNorm and ReLU on rows still in cache. */
static void batch_norm_relu(float *y, int cout, int s0, int s1, int j, int width, const float *scale,
                            const float *shift) {
  for (int t = s0; t < s1; t++) {
    float *o = y + (long)t * cout + j;
    for (int c = 0; c < width; c++) {
      float v = o[c] * scale[j + c] + shift[j + c];
      o[c] = v > 0 ? v : 0;
    }
  }
}

/* One offset's pairs [r0, count) through tiles of mr pairs x nr columns from column j, width columns wide. */
static void offset_tiles(tile_fn tile, int mr, int nr, const float *x, int cin, int k, int s0, int count,
                         const jint *targets, const jint *sources, int j, int width, const float *w, int cout, float *y) {
  int centre = k == CENTRE;
  for (int c = j; c < j + width; c += nr) {
    int cw = j + width - c < nr ? j + width - c : nr;
    const float *wk = w + (long)k * cin * cout + c;
    for (int r0 = 0; r0 < count; r0 += mr) {
      int m = count - r0 < mr ? count - r0 : mr;
      const float *rows[MAX_TILE];
      float *outs[MAX_TILE];
      for (int r = 0; r < mr; r++) {
        if (r < m) {
          int t = centre ? s0 + r0 + r : targets[r0 + r];
          int s = centre ? t : sources[r0 + r];
          rows[r] = x + (long)s * cin;
          outs[r] = y + (long)t * cout + c;
        } else {
          rows[r] = ZERO_ROW;
          outs[r] = 0;
        }
      }
      tile(rows, outs, m, cin, wk, cout, cw, (centre ? 0 : TILE_ADD) | (r0 == 0 ? TILE_PREFETCH : 0));
    }
  }
}

/*
 * Panels of WIDE_COLUMNS output columns; in each, an offset with at least WIDE_MIN_PAIRS pairs takes
 * the wide tile (6 pairs x 64 columns: 24 sums for 10 loads per input channel), one with fewer the
 * narrow one (8 x 32), whose partial tiles waste less. The wide tile alone was 3-12 % faster over
 * MESM's blocks at p = 0.5-0.9 and 8 % slower at p = 0.3 on spectrograms, where offsets have few
 * pairs; the mix was 1-5 % faster at p = 0.3-0.7 and never slower (docs/performance.md).
 */
#define WIDE_COLUMNS 64
#define WIDE_MIN_PAIRS 48

static void convolve(int level, const float *x, int cin, const jint *nbr, int siteFrom, int siteTo, int colFrom,
                     int colTo, const float *w, int cout, float *y, const float *scale, const float *shift) {
  jint targets[OFFSETS][CHUNK];
  jint sources[OFFSETS][CHUNK];
  int count[OFFSETS];
  int panel = level >= 2 ? WIDE_COLUMNS : 16;
  for (int s0 = siteFrom; s0 < siteTo; s0 += CHUNK) {
    int s1 = s0 + CHUNK < siteTo ? s0 + CHUNK : siteTo;
    /* every site is its own centre: that offset's pairs are (t, t) */
    for (int k = 0; k < OFFSETS; k++) count[k] = k == CENTRE ? s1 - s0 : pairs_of(nbr, k, s0, s1, targets[k], sources[k]);
    for (int j = colFrom; j < colTo; j += panel) {
      int width = colTo - j < panel ? colTo - j : panel;
      for (int o = 0; o < OFFSETS; o++) {
        int k = ORDER[o];
        if (level < 2) offset_tiles(tile_avx2, 6, 16, x, cin, k, s0, count[k], targets[k], sources[k], j, width, w, cout, y);
        else if (count[k] >= WIDE_MIN_PAIRS)
          offset_tiles(tile_avx512_wide, 6, 64, x, cin, k, s0, count[k], targets[k], sources[k], j, width, w, cout, y);
        else offset_tiles(tile_avx512, 8, 32, x, cin, k, s0, count[k], targets[k], sources[k], j, width, w, cout, y);
      }
      if (scale) batch_norm_relu(y, cout, s0, s1, j, width, scale, shift);
    }
  }
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_sparse_NativeKernels_level(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return best_level();
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_sparse_NativeKernels_maxInputChannels(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return MAX_CIN;
}

/*
 * y[t, colFrom..colTo) for sites t in [siteFrom, siteTo): x [n, cin], w [9*cin, cout], y [n, cout],
 * all c-order at the given native addresses; neighbours as Rulebook.neighbours() ([n * 9], -1
 * where inactive). level as best_level(), at most what the CPU has (the caller checks). With
 * scale and shift ([cout], or both null) y becomes max(0, y * scale + shift): inference
 * BatchNorm + ReLU fused in.
 */
JNIEXPORT void JNICALL Java_ai_mesm_model_sparse_NativeKernels_convolve(
    JNIEnv *env, jclass cls, jint level, jlong x, jint cin, jintArray neighbours, jint siteFrom, jint siteTo,
    jint colFrom, jint colTo, jlong w, jint cout, jlong y, jfloatArray scale, jfloatArray shift) {
  (void)cls;
  jint *nbr = (*env)->GetPrimitiveArrayCritical(env, neighbours, 0);
  float *sc = scale ? (*env)->GetPrimitiveArrayCritical(env, scale, 0) : 0;
  float *sh = shift ? (*env)->GetPrimitiveArrayCritical(env, shift, 0) : 0;
  if (nbr && (!scale || (sc && sh))) {
    convolve(level, (const float *)(intptr_t)x, cin, nbr, siteFrom, siteTo, colFrom, colTo, (const float *)(intptr_t)w,
             cout, (float *)(intptr_t)y, sc, sh);
  }
  if (sh) (*env)->ReleasePrimitiveArrayCritical(env, shift, sh, JNI_ABORT);
  if (sc) (*env)->ReleasePrimitiveArrayCritical(env, scale, sc, JNI_ABORT);
  if (nbr) (*env)->ReleasePrimitiveArrayCritical(env, neighbours, nbr, JNI_ABORT);
}

/*
 * Attention scores of sites [from, to) (mesm_attention.h; AVX-512 only, the caller checks):
 * x [n, cin], wx [cin, cin], query [frames, d] (the text query of each frame), wq [d, cin],
 * bx [cin], v [cin], scores [n] and hidden [n, cin] (0 for none) at native addresses, c-order;
 * frame_start [frames + 1] as SparseSites. The query terms of the range's frames come first.
 */
JNIEXPORT void JNICALL Java_ai_mesm_model_sparse_NativeKernels_attentionScores(
    JNIEnv *env, jclass cls, jlong x, jint cin, jlong wx, jlong query, jint d, jlong wq, jlong bx, jintArray frameStart,
    jint frames, jlong v, jfloat bias, jint from, jint to, jlong scores, jlong hidden) {
  (void)cls;
  if (from >= to) return;
  jint *starts = (*env)->GetPrimitiveArrayCritical(env, frameStart, 0);
  if (!starts) return;
  int f0 = first_frame(starts, frames, from);
  int f1 = first_frame(starts, frames, to - 1) + 1;
  float *term = malloc(sizeof(float) * (size_t)(f1 - f0) * cin);
  if (term) {
    query_terms((const float *)(intptr_t)query, d, (const float *)(intptr_t)wq, (const float *)(intptr_t)bx, cin, f0, f1,
                term);
    attention_scores((const float *)(intptr_t)x, cin, (const float *)(intptr_t)wx, term, f0, starts, frames,
                     (const float *)(intptr_t)v, bias, from, to, (float *)(intptr_t)scores, (float *)(intptr_t)hidden);
    free(term);
  }
  (*env)->ReleasePrimitiveArrayCritical(env, frameStart, starts, JNI_ABORT);
  if (!term) (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/OutOfMemoryError"), "attention query terms");
}

/*
 * Inference max-pool of outputs [from, to): out[o] = max(0, rows window[o * 4 + q] of x) per
 * channel, window entries -1 for inactive inputs (which read as 0: the inputs follow a ReLU).
 * x [n, channels] and out [nOut, channels] at native addresses, c-order.
 */
JNIEXPORT void JNICALL Java_ai_mesm_model_sparse_NativeKernels_maxPool(JNIEnv *env, jclass cls, jlong x, jint channels,
                                                                       jintArray window, jint from, jint to, jlong out) {
  (void)cls;
  jint *win = (*env)->GetPrimitiveArrayCritical(env, window, 0);
  if (!win) return;
  const float *in = (const float *)(intptr_t)x;
  for (long o = from; o < to; o++) {
    float *y = (float *)(intptr_t)out + o * channels;
    for (int c = 0; c < channels; c++) y[c] = 0;
    for (int q = 0; q < 4; q++) {
      jint i = win[o * 4 + q];
      if (i < 0) continue;
      const float *row = in + (long)i * channels;
      for (int c = 0; c < channels; c++) y[c] = row[c] > y[c] ? row[c] : y[c];
    }
  }
  (*env)->ReleasePrimitiveArrayCritical(env, window, win, JNI_ABORT);
}

/*
 * Frames [from, to) of the dense [frames, channels, cells] map from site rows x [n, channels]:
 * cell p of frame f holds row siteAt[f * cells + p], or 0 where that is -1.
 */
JNIEXPORT void JNICALL Java_ai_mesm_model_sparse_NativeKernels_toDense(JNIEnv *env, jclass cls, jlong x, jint channels,
                                                                       jintArray siteAt, jint cells, jint from, jint to,
                                                                       jlong out) {
  (void)cls;
  jint *at = (*env)->GetPrimitiveArrayCritical(env, siteAt, 0);
  if (!at) return;
  const float *in = (const float *)(intptr_t)x;
  for (long f = from; f < to; f++) {
    float *y = (float *)(intptr_t)out + f * channels * cells;
    for (int p = 0; p < cells; p++) {
      jint s = at[f * cells + p];
      if (s < 0) {
        for (int c = 0; c < channels; c++) y[(long)c * cells + p] = 0;
      } else {
        const float *row = in + (long)s * channels;
        for (int c = 0; c < channels; c++) y[(long)c * cells + p] = row[c];
      }
    }
  }
  (*env)->ReleasePrimitiveArrayCritical(env, siteAt, at, JNI_ABORT);
}

/*
 * Bytes of x and dy rows per site range of the weight gradient. All 9 offsets run over one range
 * of sites before the next, so the rows come from memory once, not once per offset (9x the
 * traffic: the kernel ran at a third of its speed), and each offset's dW block stays in cache
 * while the range's pairs add into it; each range adds into the whole of dW, so ranges are as
 * large as the cache allows.
 */
#define GRAD_RANGE_BYTES (1 << 20)

static void weight_gradient(grad_tile_fn tile, int rows, int nr, const float *x, int cin, const float *dy, int cout,
                            const jint *nbr, int sites, int cFrom, int cTo, float *dw) {
  const float *xs[CHUNK];
  const float *ds[CHUNK];
  jint targets[CHUNK];
  jint sources[CHUNK];
  for (int k = 0; k < OFFSETS; k++) memset(dw + ((long)k * cin + cFrom) * cout, 0, sizeof(float) * (cTo - cFrom) * cout);
  int range = GRAD_RANGE_BYTES / (int)(sizeof(float) * (cin + cout));
  if (range < CHUNK) range = CHUNK;
  for (int r0 = 0; r0 < sites; r0 += range) {
    int r1 = r0 + range < sites ? r0 + range : sites;
    for (int k = 0; k < OFFSETS; k++) {
      float *dwk = dw + (long)k * cin * cout;
      for (int s0 = r0; s0 < r1; s0 += CHUNK) {
        int s1 = s0 + CHUNK < r1 ? s0 + CHUNK : r1;
        int count = pairs_of(nbr, k, s0, s1, targets, sources);
        for (int c0 = cFrom; c0 < cTo; c0 += rows) {
          for (int r = 0; r < count; r++) xs[r] = x + (long)sources[r] * cin + c0;
          for (int j = 0; j < cout; j += nr) {
            for (int r = 0; r < count; r++) ds[r] = dy + (long)targets[r] * cout + j;
            int width = cout - j < nr ? cout - j : nr;
            tile(xs, ds, count, dwk + (long)c0 * cout + j, cout, width);
          }
        }
      }
    }
  }
}

/* Input channels per weight-gradient tile at this level: cin must be a multiple (the caller checks). */
JNIEXPORT jint JNICALL Java_ai_mesm_model_sparse_NativeKernels_gradientChannelBlock(JNIEnv *env, jclass cls,
                                                                                    jint level) {
  (void)env;
  (void)cls;
  return level >= 2 ? 8 : 4;
}

/*
 * dW rows k*cin + c for c in [cFrom, cTo) and every offset k (overwritten, not added to):
 * sum over the pairs (t, s) of offset k of x[s, c] * dy[t, :]; x [n, cin], dy [n, cout],
 * dW [9*cin, cout], c-order at native addresses; neighbours as for convolve; cFrom and cTo
 * multiples of gradientChannelBlock.
 */
JNIEXPORT void JNICALL Java_ai_mesm_model_sparse_NativeKernels_weightGradient(
    JNIEnv *env, jclass cls, jint level, jlong x, jint cin, jlong dy, jint cout, jintArray neighbours, jint sites,
    jint cFrom, jint cTo, jlong dw) {
  (void)cls;
  jint *nbr = (*env)->GetPrimitiveArrayCritical(env, neighbours, 0);
  if (nbr) {
    weight_gradient(level >= 2 ? grad_tile_avx512 : grad_tile_avx2, level >= 2 ? 8 : 4, level >= 2 ? 32 : 16,
                    (const float *)(intptr_t)x, cin, (const float *)(intptr_t)dy, cout, nbr, sites, cFrom, cTo,
                    (float *)(intptr_t)dw);
    (*env)->ReleasePrimitiveArrayCritical(env, neighbours, nbr, JNI_ABORT);
  }
}
