/*
 * Native kernels of the CNNs' layers, called through ai.mesm.model.layers.CnnKernels: the
 * gradients of the convolutions (stride 1, same padding, NCHW, float) for NativeConvolution,
 * BatchNorm + ReLU (mesm_bn_kernels.h) for BatchNormReluLayer, and the frozen graph's whole CNN
 * (mesm_cnn_infer.h) for FoldedCnnVertex.
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
#include <math.h>
#include <string.h>
#include "mesm_cpu.h"

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));
typedef float v4u __attribute__((vector_size(16), aligned(4)));
typedef float v4 __attribute__((vector_size(16)));
typedef double d8 __attribute__((vector_size(64)));
typedef double d4 __attribute__((vector_size(32)));
typedef int i8 __attribute__((vector_size(32)));
typedef int i4 __attribute__((vector_size(16)));

#define CIB 8

#define ATTR __attribute__((target("avx512f,fma")))
#define SUF avx512
#define V v16
#define VU v16u
#define VL 16
#define COB 4
#define VF v8
#define VFU v8u
#define VD d8
#define VI i8
#define VD_LANES 8
#include "mesm_dense_level.h"

#define ATTR __attribute__((target("avx2,fma")))
#define SUF avx2
#define V v8
#define VU v8u
#define VL 8
#define COB 2
#define VF v4
#define VFU v4u
#define VD d4
#define VI i4
#define VD_LANES 4
#include "mesm_dense_level.h"

#include "mesm_cnn_infer.h"

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

/*
 * y [n][cout][h][w] = the convolution of x [n][cin][h][w] with w [cout][cin][k][k] (no bias): the
 * input gradient's loop with the channels' roles swapped and the kernel unflipped, over each
 * sample's padded input planes. Returns 0, or -1 when out of memory.
 */
static int forward(int level, const float *x, const float *w, int n, int cin, int cout, int h, int wd, int k,
                   float *y) {
  int p = (k - 1) / 2, wp = wd + k - 1, hp = h + k - 1;
  long len = round16((long)h * wp);
  long stride = round16((long)hp * wp + k + 16);
  int coutp = (cout + CIB - 1) / CIB * CIB;
  igrad_fn conv = level == 2 ? (k == 3 ? input_gradient_avx512_3 : input_gradient_avx512_5)
                             : (k == 3 ? input_gradient_avx2_3 : input_gradient_avx2_5);
  long kk = (long)k * k;
  float *xpad = aligned_alloc(64, sizeof(float) * stride * cin);
  float *wf = calloc(cin * kk * coutp, sizeof(float));
  float *tmp = aligned_alloc(64, sizeof(float) * len * CIB);
  int ok = xpad && wf && tmp;
  if (ok) {
    /* wf[ci][ky][kx][co] = w[co][ci][ky][kx] */
    for (int co = 0; co < cout; co++)
      for (int ci = 0; ci < cin; ci++)
        for (int t = 0; t < kk; t++) wf[(ci * kk + t) * coutp + co] = w[((long)co * cin + ci) * kk + t];
    for (int s = 0; s < n; s++) {
      pad_planes(x + (long)s * cin * h * wd, cin, h, wd, p, wp, stride, xpad);
      for (int co0 = 0; co0 < cout; co0 += CIB) {
        conv(xpad, cin, wp, stride, len, wf, coutp, co0, tmp, len);
        for (int c = 0; c < CIB && co0 + c < cout; c++)
          for (int yy = 0; yy < h; yy++)
            memcpy(y + (((long)s * cout + co0 + c) * h + yy) * wd, tmp + c * len + (long)yy * wp, sizeof(float) * wd);
      }
    }
  }
  free(xpad);
  free(wf);
  free(tmp);
  return ok ? 0 : -1;
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_layers_CnnKernels_forward(JNIEnv *env, jclass cls, jint level, jlong x,
    jlong w, jint n, jint cin, jint cout, jint h, jint wd, jint k, jlong y) {
  (void)env;
  (void)cls;
  return forward(level, (const float *)(intptr_t)x, (const float *)(intptr_t)w, n, cin, cout, h, wd, k,
                 (float *)(intptr_t)y);
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_layers_CnnKernels_inferCnn(JNIEnv *env, jclass cls, jlong x, jint frames,
    jint c0, jint h, jint wd, jintArray kernels, jintArray couts, jlong w, jlong bias, jboolean channelsLast, jlong y) {
  (void)cls;
  int nl = (*env)->GetArrayLength(env, kernels);
  if (nl < 1 || nl > CI_MAX_LAYERS || (*env)->GetArrayLength(env, couts) != nl) return -2;
  int kernel[CI_MAX_LAYERS], cout[CI_MAX_LAYERS];
  (*env)->GetIntArrayRegion(env, kernels, 0, nl, kernel);
  (*env)->GetIntArrayRegion(env, couts, 0, nl, cout);
  return cnn_infer((const float *)(intptr_t)x, frames, c0, h, wd, nl, kernel, cout, (const float *)(intptr_t)w,
                   (const float *)(intptr_t)bias, channelsLast, (float *)(intptr_t)y);
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_layers_CnnKernels_level(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return best_level();
}

JNIEXPORT jint JNICALL Java_ai_mesm_model_layers_CnnKernels_gradients(JNIEnv *env, jclass cls, jint level,
    jlong x, jlong dy, jlong w, jint n, jint cin, jint cout, jint h, jint wd, jint k, jlong dw, jlong dx) {
  (void)env;
  (void)cls;
  return gradients(level, (const float *)(intptr_t)x, (const float *)(intptr_t)dy, (const float *)(intptr_t)w, n, cin,
                   cout, h, wd, k, (float *)(intptr_t)dw, (float *)(intptr_t)dx);
}

/* The double arrays of a BatchNorm call, pinned for its duration (a few channels' values each). */
#define MAX_PINNED 8
typedef struct {
  jdoubleArray arrays[MAX_PINNED];
  double *data[MAX_PINNED];
  int count;
} pinned;

static double *pin(JNIEnv *env, pinned *p, jdoubleArray a) {
  double *d = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
  p->arrays[p->count] = a;
  p->data[p->count++] = d;
  return d;
}

static void unpin(JNIEnv *env, pinned *p) {
  while (p->count > 0) {
    p->count--;
    if (p->data[p->count]) (*env)->ReleasePrimitiveArrayCritical(env, p->arrays[p->count], p->data[p->count], 0);
  }
}

JNIEXPORT void JNICALL Java_ai_mesm_model_layers_CnnKernels_bnReluForward(JNIEnv *env, jclass cls, jint level,
    jlong x, jlong y, jint n, jint channels, jlong plane, jint c0, jint c1, jboolean training, jdoubleArray gamma,
    jdoubleArray beta, jdouble eps, jdoubleArray mean, jdoubleArray var, jdoubleArray a, jdoubleArray b) {
  (void)cls;
  pinned p = {.count = 0};
  double *g = pin(env, &p, gamma), *bt = pin(env, &p, beta), *m = pin(env, &p, mean), *v = pin(env, &p, var);
  double *pa = pin(env, &p, a), *pb = pin(env, &p, b);
  if (g && bt && m && v && pa && pb) {
    const float *px = (const float *)(intptr_t)x;
    float *py = (float *)(intptr_t)y;
    if (level == 2) bn_relu_forward_avx512(px, py, n, channels, plane, c0, c1, training, g, bt, eps, m, v, pa, pb);
    else bn_relu_forward_avx2(px, py, n, channels, plane, c0, c1, training, g, bt, eps, m, v, pa, pb);
  }
  unpin(env, &p);
}

JNIEXPORT void JNICALL Java_ai_mesm_model_layers_CnnKernels_bnReluBackward(JNIEnv *env, jclass cls, jint level,
    jlong x, jlong dy, jlong dx, jint n, jint channels, jlong plane, jint c0, jint c1, jdoubleArray a, jdoubleArray b,
    jdoubleArray mean, jdoubleArray std, jdoubleArray dgamma, jdoubleArray dbeta) {
  (void)cls;
  pinned p = {.count = 0};
  double *pa = pin(env, &p, a), *pb = pin(env, &p, b), *m = pin(env, &p, mean), *sd = pin(env, &p, std);
  double *dg = pin(env, &p, dgamma), *db = pin(env, &p, dbeta);
  if (pa && pb && m && sd && dg && db) {
    const float *px = (const float *)(intptr_t)x, *pg = (const float *)(intptr_t)dy;
    float *po = (float *)(intptr_t)dx;
    if (level == 2) bn_relu_backward_avx512(px, pg, po, n, channels, plane, c0, c1, pa, pb, m, sd, dg, db);
    else bn_relu_backward_avx2(px, pg, po, n, channels, plane, c0, c1, pa, pb, m, sd, dg, db);
  }
  unpin(env, &p);
}
