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
 * PX output pixels x one or two channel vectors (at cout offset co), sums in named registers,
 * through every (ky, kx, ci) in that order (so each output's sum is the same whatever the tiling).
 * sp: for each pixel the input pixel under it, NHWC, row stride w * cin. The pixels need not be
 * in one row: a tile runs on across rows and images.
 */
#define ACC_DECL(p) v16 a##p = bias0, b##p = bias1; const float *s##p = sp[p]; (void)b##p;
#define ACC_FMA1(p) { float s = s##p[tap + ci]; a##p += s * w0; }
#define ACC_FMA2(p) { float s = s##p[tap + ci]; a##p += s * w0; b##p += s * w1; }
#define ACC_OUT1(p) if ((p) < count) STORE(out + (p) * cp + co, FN(prelu)(a##p, slope0));
#define ACC_OUT2(p) if ((p) < count) { STORE(out + (p) * cp + co, FN(prelu)(a##p, slope0)); \
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
      const long tap = ((long)ky * w + kx) * cin;                                  \
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

/*
 * One tile function: NAME over EACHP's pixels, two channel vectors (TWO = 1) or one (TWO = 0),
 * storing the first count pixels (a plane of fewer pixels than a tile repeats its last one).
 */
#define TILE(NAME, EACHP, TWO, FMA, OUT)                                                                  \
  ATTR static void FN(NAME)(const float *const *sp, int w, int cin, const float *wt, int k, int cp, int co, \
                            const float *bias, const float *slope, float *out, int count) {               \
    const int two = TWO;                                                                                  \
    TILE_BODY(EACHP, FMA, OUT)                                                                            \
  }

TILE(tile_wide2, EACH, 1, ACC_FMA2, ACC_OUT2)
TILE(tile_wide1, EACH, 0, ACC_FMA1, ACC_OUT1)

/* The input pixel under output pixel i of the plane [n, oh, ow]. */
ATTR static inline const float *FN(under)(const float *in, int h, int w, int cin, int oh, int ow, long i) {
  long b = i / ((long)oh * ow);
  long r = i % ((long)oh * ow);
  return in + (((b * h) + r / ow) * w + r % ow) * cin;
}

/* Valid k x k convolution, stride 1, + bias, then PReLU: in [n, h, w, cin], out [n, h-k+1, w-k+1, cp]. */
ATTR static void FN(conv_prelu)(const float *in, int n, int h, int w, int cin, const float *wt, int k, int cp,
                                const float *bias, const float *slope, float *out) {
  int oh = h - k + 1, ow = w - k + 1;
  long total = (long)n * oh * ow;
  const float *sp[PX];
  for (int co = 0; co < cp; co += 32) {
    int two = co + 32 <= cp;
    /* Whole tiles over the flattened plane, the input pointer stepping along with the pixel (to
       the next row and image at the ends); then one tile ending at the plane's last pixel, which
       recomputes a few pixels (the same sums, stored again), or on a plane smaller than a tile
       repeats its last pixel and stores the real ones. */
    const float *src = in;
    int x = 0, y = 0;
    long i = 0;
    for (; i + PX <= total; i += PX) {
      for (int p = 0; p < PX; p++) {
        sp[p] = src;
        src += cin;
        if (++x == ow) {
          x = 0;
          src += (long)(k - 1) * cin;
          if (++y == oh) {
            y = 0;
            src += (long)(k - 1) * w * cin;
          }
        }
      }
      if (two) FN(tile_wide2)(sp, w, cin, wt, k, cp, co, bias, slope, out + i * cp, PX);
      else FN(tile_wide1)(sp, w, cin, wt, k, cp, co, bias, slope, out + i * cp, PX);
    }
    if (i < total) {
      long first = total >= PX ? total - PX : 0;
      int count = total >= PX ? PX : (int)total;
      for (int p = 0; p < PX; p++) sp[p] = FN(under)(in, h, w, cin, oh, ow, p < count ? first + p : total - 1);
      if (two) FN(tile_wide2)(sp, w, cin, wt, k, cp, co, bias, slope, out + first * cp, count);
      else FN(tile_wide1)(sp, w, cin, wt, k, cp, co, bias, slope, out + first * cp, count);
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
#undef TILE_BODY
#undef TILE
#undef FN
#undef CAT
#undef CAT_
