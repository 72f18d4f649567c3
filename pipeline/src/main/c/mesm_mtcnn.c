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
