/*
 * Every kernel of mesm_dense.c for one instruction set: included once per level after the level's
 * macros (ATTR, SUF, V, VU, VL, COB for the convolutions; VF, VFU, VD, VI, VD_LANES for BatchNorm),
 * which it undefines at the end so that the next level defines its own.
 */
#define K 3
#include "mesm_dense_kernels.h"
#undef K
#define K 5
#include "mesm_dense_kernels.h"
#undef K
#include "mesm_bn_kernels.h"
#undef VF
#undef VFU
#undef VD
#undef VI
#undef VD_LANES
#undef ATTR
#undef SUF
#undef V
#undef VU
#undef VL
#undef COB
