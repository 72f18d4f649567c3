/* The instruction set the product's native kernels run with, shared by mesm_sparse.c and mesm_mtcnn.c. */
#ifndef MESM_CPU_H
#define MESM_CPU_H

/* 2 = AVX-512F, 1 = AVX2 + FMA, 0 = neither (the Java/ND4J paths run). */
static int best_level(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
  return 0;
}

#endif
