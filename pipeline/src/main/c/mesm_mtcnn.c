/*
 * Native kernels of the MTCNN face detector, called by ai.mesm.media.face.MtcnnKernels: the
 * three networks' valid convolutions (+ bias + PReLU in the same pass) and their max-pooling.
 *
 * Why native: through ND4J each of MTCNN's small layers paid a per-call cost (oneDNN primitive
 * set-up at 4-28 GFLOP/s on these shapes), a copy out to the JVM for PReLU and pooling, and a
 * copy back; detection was ~60-70 % of ingest (docs/performance.md). Here a layer is one call on
 * NHWC data with channels padded to 16, its sums kept in vector registers (PX output pixels x 32
 * channels per tile), PReLU applied before the store, and the next layer reads the result in place.
 *
 * The Java side checks every length against the shapes before calling (MtcnnKernels); nothing
 * here allocates.
 */
#include <jni.h>
#include <immintrin.h>
#include <stdint.h>
#include "mesm_cpu.h"

typedef float v16 __attribute__((vector_size(64)));
typedef int vi16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));
#define LOAD(p) (*(const v16u *)(p))
#define STORE(p, v) (*(v16u *)(p) = (v))

#define ATTR __attribute__((target("avx512f,fma")))
#define SUF avx512
#define PX 8
#include "mesm_mtcnn_kernels.h"
#undef ATTR
#undef SUF
#undef PX

#define ATTR __attribute__((target("avx2,fma")))
#define SUF avx2
#define PX 4
#include "mesm_mtcnn_kernels.h"
#undef ATTR
#undef SUF
#undef PX

/*
 * Summed-area rows of a 3-byte-per-pixel image (ai.mesm.media.face.PixelSums): table row y + 1 =
 * row y + the running sums of image row y, each byte summed with the same byte of the pixels
 * before it (so the table keeps the image's channel order). Row y + 1 starts with one pixel of
 * zeros; row 0 is the caller's.
 *
 * Why native: the running sums are a carried dependency per channel, which the JIT leaves scalar
 * (~2 ms per 1280x720 frame, a third of a tracked search there). With AVX-512, 16 bytes are
 * widened to 16 lanes and summed in the register by three shifted adds (by 3, 6 and 12 lanes: the
 * same channel every third lane), plus the running totals of the 16 bytes before them, which sit
 * in lanes 13, 14 and 15 of the previous vector. Integer sums: the same values whatever the order.
 */
__attribute__((target("avx512f"))) static void summed_rows_avx512(const uint8_t *data, long from, long scan,
    int width, int height, int32_t *t, long stride) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i last3 = _mm512_setr_epi32(13, 14, 15, 13, 14, 15, 13, 14, 15, 13, 14, 15, 13, 14, 15, 13);
  int n = 3 * width;
  for (int y = 0; y < height; y++) {
    const uint8_t *src = data + from + (long)y * scan;
    const int32_t *above = t + (long)y * stride + 3;
    int32_t *row = t + (long)(y + 1) * stride + 3;
    row[-3] = row[-2] = row[-1] = 0;
    __m512i carry = zero;
    int i = 0;
    for (; i + 16 <= n; i += 16) {
      __m512i v = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(src + i)));
      v = _mm512_add_epi32(v, _mm512_alignr_epi32(v, zero, 13));
      v = _mm512_add_epi32(v, _mm512_alignr_epi32(v, zero, 10));
      v = _mm512_add_epi32(v, _mm512_alignr_epi32(v, zero, 4));
      v = _mm512_add_epi32(v, _mm512_permutexvar_epi32(last3, carry));
      carry = v;
      _mm512_storeu_si512(row + i, _mm512_add_epi32(v, _mm512_loadu_si512(above + i)));
    }
    int32_t lanes[16];
    _mm512_storeu_si512(lanes, carry);
    int32_t s[3] = {lanes[13], lanes[14], lanes[15]};
    for (int k = 0; i < n; i++, k = k == 2 ? 0 : k + 1) {
      s[k] += src[i];
      row[i] = above[i] + s[k];
    }
  }
}

/* AVX-512 only (the Java side checks): at AVX2 the Java loop is as fast as a scalar C one. */
JNIEXPORT void JNICALL Java_ai_mesm_media_face_MtcnnKernels_summedRowsAvx512(JNIEnv *env, jclass cls,
    jbyteArray data, jint from, jint scan, jint width, jint height, jintArray sums, jint stride) {
  (void)cls;
  uint8_t *pdata = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
  int32_t *psums = (*env)->GetPrimitiveArrayCritical(env, sums, NULL);
  if (pdata && psums) summed_rows_avx512(pdata, from, scan, width, height, psums, stride);
  if (psums) (*env)->ReleasePrimitiveArrayCritical(env, sums, psums, 0);
  if (pdata) (*env)->ReleasePrimitiveArrayCritical(env, data, pdata, JNI_ABORT);
}

JNIEXPORT jint JNICALL Java_ai_mesm_media_face_MtcnnKernels_cpuLevel(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return best_level();
}

JNIEXPORT void JNICALL Java_ai_mesm_media_face_MtcnnKernels_convPrelu(JNIEnv *env, jclass cls, jint level,
    jfloatArray in, jint n, jint h, jint w, jint cin, jfloatArray wt, jint k, jint cp, jfloatArray bias,
    jfloatArray slope, jfloatArray out) {
  (void)cls;
  float *pin = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
  float *pwt = (*env)->GetPrimitiveArrayCritical(env, wt, NULL);
  float *pbias = (*env)->GetPrimitiveArrayCritical(env, bias, NULL);
  float *pslope = (*env)->GetPrimitiveArrayCritical(env, slope, NULL);
  float *pout = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
  if (pin && pwt && pbias && pslope && pout) {
    if (level == 2) conv_prelu_avx512(pin, n, h, w, cin, pwt, k, cp, pbias, pslope, pout);
    else conv_prelu_avx2(pin, n, h, w, cin, pwt, k, cp, pbias, pslope, pout);
  }
  if (pout) (*env)->ReleasePrimitiveArrayCritical(env, out, pout, 0);
  if (pslope) (*env)->ReleasePrimitiveArrayCritical(env, slope, pslope, JNI_ABORT);
  if (pbias) (*env)->ReleasePrimitiveArrayCritical(env, bias, pbias, JNI_ABORT);
  if (pwt) (*env)->ReleasePrimitiveArrayCritical(env, wt, pwt, JNI_ABORT);
  if (pin) (*env)->ReleasePrimitiveArrayCritical(env, in, pin, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_ai_mesm_media_face_MtcnnKernels_maxPool(JNIEnv *env, jclass cls, jint level,
    jfloatArray in, jint n, jint h, jint w, jint cp, jint k, jint s, jint oh, jint ow, jfloatArray out) {
  (void)cls;
  float *pin = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
  float *pout = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
  if (pin && pout) {
    if (level == 2) max_pool_avx512(pin, n, h, w, cp, k, s, oh, ow, pout);
    else max_pool_avx2(pin, n, h, w, cp, k, s, oh, ow, pout);
  }
  if (pout) (*env)->ReleasePrimitiveArrayCritical(env, out, pout, 0);
  if (pin) (*env)->ReleasePrimitiveArrayCritical(env, in, pin, JNI_ABORT);
}
