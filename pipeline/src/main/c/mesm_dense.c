/*
 * Native gradients of the CNNs' convolutions (stride 1, same padding, NCHW, float), called by
 * ai.mesm.model.layers.DenseConvGradients for the training graph's narrow layers.
 *
 * Why native: at narrow widths (the tests' and the demo's models) oneDNN's backward pass spends
 * most of its time reordering DL4J's NCHW arrays into its blocked layout, whose channels are padded
 * to 16 (4 real channels move 16), and back; a training step's convolution backward took ~45 % of
 * the step (docs/performance.md). Here each sample's input and output-gradient planes are copied once
 * into zero-padded planes of width w + k - 1 that stay in cache; a tap (ky, kx) is then a fixed
 * offset into the flat plane, so both gradients are long vector loops without row edges.
 *
 * Threads: one call runs on the calling thread; the Java side checks every shape and address.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mesm_cpu.h"

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));

#define CIB 8

#define ATTR __attribute__((target("avx512f,fma")))
#define SUF avx512
#define V v16
#define VU v16u
#define VL 16
#define COB 4
#define K 3
#include "mesm_dense_kernels.h"
#undef K
#define K 5
#include "mesm_dense_kernels.h"
#undef K
#undef ATTR
#undef SUF
#undef V
#undef VU
#undef VL
#undef COB

#define ATTR __attribute__((target("avx2,fma")))
#define SUF avx2
#define V v8
#define VU v8u
#define VL 8
#define COB 2
#define K 3
#include "mesm_dense_kernels.h"
#undef K
#define K 5
#include "mesm_dense_kernels.h"
#undef K
#undef ATTR
#undef SUF
#undef V
#undef VU
#undef VL
#undef COB

typedef void (*wgrad_fn)(const float *, const float *, int, int, int, long, long, float *);
typedef void (*igrad_fn)(const float *, int, int, long, long, const float *, int, int, float *, long);

static long round16(long v) { return (v + 15) & ~15L; }

/* Planes [planes][h][w] into zero-padded planes of width wp, data at row p and column p, stride apart. */
static void pad_planes(const float *src, int planes, int h, int w, int p, int wp, long stride, float *dst) {
  memset(dst, 0, sizeof(float) * stride * planes);
  for (int c = 0; c < planes; c++) {
    for (int y = 0; y < h; y++) {
      memcpy(dst + c * stride + (long)(y + p) * wp + p, src + ((long)c * h + y) * w, sizeof(float) * w);
    }
  }
}

/*
 * dw [cout][cin][k][k] = the weight gradient over the n samples of x [n][cin][h][w] and
 * dy [n][cout][h][w]; with dx non-null also dx [n][cin][h][w] = the input gradient through
 * w [cout][cin][k][k]. k is 3 or 5 (checked by the caller). Returns 0, or -1 when out of memory.
 */
static int gradients(int level, const float *x, const float *dy, const float *w, int n, int cin, int cout, int h,
                     int wd, int k, float *dw, float *dx) {
  int p = (k - 1) / 2, wp = wd + k - 1, hp = h + k - 1;
  long len = round16((long)h * wp);
  long stride = round16((long)hp * wp + k + 16);
  int cinp = (cin + CIB - 1) / CIB * CIB;
  wgrad_fn wgrad = level == 2 ? (k == 3 ? weight_gradient_avx512_3 : weight_gradient_avx512_5)
                              : (k == 3 ? weight_gradient_avx2_3 : weight_gradient_avx2_5);
  igrad_fn igrad = level == 2 ? (k == 3 ? input_gradient_avx512_3 : input_gradient_avx512_5)
                              : (k == 3 ? input_gradient_avx2_3 : input_gradient_avx2_5);
  long kk = (long)k * k;
  float *xpad = aligned_alloc(64, sizeof(float) * stride * cin);
  float *dypad = aligned_alloc(64, sizeof(float) * stride * cout);
  float *acc = calloc(cout * cin * kk, sizeof(float));
  float *wf = dx ? calloc(cout * kk * cinp, sizeof(float)) : NULL;
  float *tmp = dx ? aligned_alloc(64, sizeof(float) * len * CIB) : NULL;
  int ok = xpad && dypad && acc && (!dx || (wf && tmp));
  if (ok) {
    if (dx) {
      /* wf[co][ky][kx][ci] = w[co][ci][k-1-ky][k-1-kx]: the input gradient is a correlation of dy with the flipped kernel. */
      for (int co = 0; co < cout; co++)
        for (int ci = 0; ci < cin; ci++)
          for (int t = 0; t < kk; t++) wf[(co * kk + t) * cinp + ci] = w[((long)co * cin + ci) * kk + (kk - 1 - t)];
    }
    for (int s = 0; s < n; s++) {
      pad_planes(x + (long)s * cin * h * wd, cin, h, wd, p, wp, stride, xpad);
      pad_planes(dy + (long)s * cout * h * wd, cout, h, wd, p, wp, stride, dypad);
      wgrad(xpad, dypad + (long)p * wp + p, cin, cout, wp, stride, len, acc);
      if (!dx) continue;
      for (int ci0 = 0; ci0 < cin; ci0 += CIB) {
        igrad(dypad, cout, wp, stride, len, wf, cinp, ci0, tmp, len);
        for (int c = 0; c < CIB && ci0 + c < cin; c++)
          for (int y = 0; y < h; y++)
            memcpy(dx + (((long)s * cin + ci0 + c) * h + y) * wd, tmp + c * len + (long)y * wp, sizeof(float) * wd);
      }
    }
    memcpy(dw, acc, sizeof(float) * cout * cin * kk);
  }
  free(xpad);
  free(dypad);
  free(acc);
  free(wf);
  free(tmp);
  return ok ? 0 : -1;
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_layers_DenseConvGradients_level(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return best_level();
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_layers_DenseConvGradients_gradients(JNIEnv *env, jclass cls, jint level,
    jlong x, jlong dy, jlong w, jint n, jint cin, jint cout, jint h, jint wd, jint k, jlong dw, jlong dx) {
  (void)env;
  (void)cls;
  return gradients(level, (const float *)(intptr_t)x, (const float *)(intptr_t)dy, (const float *)(intptr_t)w, n, cin,
                   cout, h, wd, k, (float *)(intptr_t)dw, (float *)(intptr_t)dx);
}
