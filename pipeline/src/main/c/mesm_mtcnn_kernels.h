/*
 * MTCNN's convolution and pooling for one instruction set, included by mesm_mtcnn.c once per
 * level with ATTR (the target attribute), SUF (the name suffix) and PX (output pixels per tile).
 *
 * Layout: NHWC with the channels padded to a multiple of 16 (C16), so every output channel group
 * is one 16-float vector and no store needs a mask; padded channels hold zeros (zero weights,
 * bias and slope), and the next layer's zero weights ignore them.
 */
#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, SUF)

/* v = PReLU(v) = v for v > 0, slope * v otherwise (per channel). */
ATTR static inline v16 FN(prelu)(v16 v, v16 slope) {
  vi16 pos = v > (v16){0};
  return (v16)(((vi16)v & pos) | ((vi16)(v * slope) & ~pos));
}

ATTR static inline v16 FN(vmax)(v16 a, v16 b) {
  vi16 gt = a > b;
  return (v16)(((vi16)a & gt) | ((vi16)b & ~gt));
}

/*
 * PX consecutive output pixels x one or two channel vectors (at cout offset co), sums in named
 * registers (an accumulator array was kept in memory), through every (ky, kx, ci).
 * in: the input pixel under the tile's first output pixel, NHWC, row stride w * cin.
 */
#define ACC_DECL(p) v16 a##p = bias0, b##p = bias1; (void)b##p;
#define ACC_FMA1(p) { float s = src[(p) * cin + ci]; a##p += s * w0; }
#define ACC_FMA2(p) { float s = src[(p) * cin + ci]; a##p += s * w0; b##p += s * w1; }
#define ACC_OUT1(p) STORE(out + (p) * cp + co, FN(prelu)(a##p, slope0));
#define ACC_OUT2(p) { STORE(out + (p) * cp + co, FN(prelu)(a##p, slope0)); \
                      STORE(out + (p) * cp + co + 16, FN(prelu)(b##p, slope1)); }
#if PX >= 8
#define EACH(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#elif PX >= 4
#define EACH(M) M(0) M(1) M(2) M(3)
#else
#error "PX must be 4 or 8"
#endif

#define TILE_BODY(EACHP, FMA, OUT)                                                \
  v16 bias0 = LOAD(bias + co), bias1 = two ? LOAD(bias + co + 16) : bias0;         \
  v16 slope0 = LOAD(slope + co), slope1 = two ? LOAD(slope + co + 16) : slope0;    \
  (void)slope1;                                                                   \
  EACHP(ACC_DECL)                                                                  \
  for (int ky = 0; ky < k; ky++) {                                                 \
    for (int kx = 0; kx < k; kx++) {                                               \
      const float *src = in + ((long)ky * w + kx) * cin;                           \
      const float *wk = wt + ((long)ky * k + kx) * cin * cp + co;                  \
      for (int ci = 0; ci < cin; ci++) {                                           \
        v16 w0 = LOAD(wk + (long)ci * cp);                                         \
        v16 w1 = two ? LOAD(wk + (long)ci * cp + 16) : w0;                         \
        (void)w1;                                                                  \
        EACHP(FMA)                                                                 \
      }                                                                            \
    }                                                                              \
  }                                                                                \
  EACHP(OUT)

#define ONE(M) M(0)

/* One tile function: NAME over EACHP's pixels, two channel vectors (TWO = 1) or one (TWO = 0). */
#define TILE(NAME, EACHP, TWO, FMA, OUT)                                                            \
  ATTR static void FN(NAME)(const float *in, int w, int cin, const float *wt, int k, int cp, int co, \
                            const float *bias, const float *slope, float *out) {                    \
    const int two = TWO;                                                                            \
    TILE_BODY(EACHP, FMA, OUT)                                                                      \
  }

TILE(tile_wide2, EACH, 1, ACC_FMA2, ACC_OUT2)
TILE(tile_wide1, EACH, 0, ACC_FMA1, ACC_OUT1)
TILE(tile_one2, ONE, 1, ACC_FMA2, ACC_OUT2)
TILE(tile_one1, ONE, 0, ACC_FMA1, ACC_OUT1)

/* One output row segment [x0, x0 + count) of every channel group, PX pixels at a time. */
ATTR static void FN(conv_pixels)(const float *in, int w, int cin, const float *wt, int k, int cp,
                                 const float *bias, const float *slope, float *out, int count) {
  for (int co = 0; co < cp; co += 32) {
    int two = co + 32 <= cp;
    int x = 0;
    for (; x + PX <= count; x += PX) {
      if (two) FN(tile_wide2)(in + (long)x * cin, w, cin, wt, k, cp, co, bias, slope, out + (long)x * cp);
      else FN(tile_wide1)(in + (long)x * cin, w, cin, wt, k, cp, co, bias, slope, out + (long)x * cp);
    }
    for (; x < count; x++) {
      if (two) FN(tile_one2)(in + (long)x * cin, w, cin, wt, k, cp, co, bias, slope, out + (long)x * cp);
      else FN(tile_one1)(in + (long)x * cin, w, cin, wt, k, cp, co, bias, slope, out + (long)x * cp);
    }
  }
}

/* Valid k x k convolution, stride 1, + bias, then PReLU: in [n, h, w, cin], out [n, h-k+1, w-k+1, cp]. */
ATTR static void FN(conv_prelu)(const float *in, int n, int h, int w, int cin, const float *wt, int k, int cp,
                                const float *bias, const float *slope, float *out) {
  int oh = h - k + 1, ow = w - k + 1;
  for (int b = 0; b < n; b++) {
    for (int y = 0; y < oh; y++) {
      const float *row = in + (((long)b * h + y) * w) * cin;
      float *dst = out + (((long)b * oh + y) * ow) * cp;
      FN(conv_pixels)(row, w, cin, wt, k, cp, bias, slope, dst, ow);
    }
  }
}

/* PyTorch's MaxPool2d(k, s, ceil_mode=True) over [n, h, w, cp] into [n, oh, ow, cp]. */
ATTR static void FN(max_pool)(const float *in, int n, int h, int w, int cp, int k, int s, int oh, int ow,
                              float *out) {
  for (int b = 0; b < n; b++) {
    for (int i = 0; i < oh; i++) {
      int y0 = i * s, y1 = y0 + k < h ? y0 + k : h;
      for (int j = 0; j < ow; j++) {
        int x0 = j * s, x1 = x0 + k < w ? x0 + k : w;
        float *dst = out + (((long)b * oh + i) * ow + j) * cp;
        for (int c = 0; c < cp; c += 16) {
          v16 m = LOAD(in + (((long)b * h + y0) * w + x0) * cp + c);
          for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) m = FN(vmax)(m, LOAD(in + (((long)b * h + y) * w + x) * cp + c));
          STORE(dst + c, m);
        }
      }
    }
  }
}

#undef ACC_DECL
#undef ACC_FMA1
#undef ACC_FMA2
#undef ACC_OUT1
#undef ACC_OUT2
#undef EACH
#undef ONE
#undef TILE_BODY
#undef TILE
#undef FN
#undef CAT
#undef CAT_
