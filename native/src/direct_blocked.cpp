// Register-blocked direct convolution over phase planes of a band (direct_blocked.h), compiled for the widest
// vector unit (multiversion.h).
#include "direct_blocked.h"

#include <algorithm>
#include <cstring>

#include "border.h"
#include "epilogue.h"
#include "multiversion.h"
#include "register_block.h"

#if CONV4J_X86_DISPATCH
#include <immintrin.h>
#endif

namespace conv4j {
namespace {

constexpr int KB = CONV4J_DIRECT_BLOCKED_K_BLOCK;
constexpr int64_t kMaxTaps = CONV4J_DIRECT_BLOCKED_MAX_TAPS;

// The phases a tap reads along one axis: the distinct (t*d) % stride for t < taps, in order of first use.
struct Phases {
    int64_t count = 0;
    int64_t value[kMaxTaps];
    int64_t slot(int64_t v) const {
        int64_t i = 0;
        while (value[i] != v) ++i;
        return i;
    }
};

Phases phases_of(int64_t taps, int64_t d, int64_t stride) {
    Phases ph;
    for (int64_t t = 0; t < taps; ++t) {
        const int64_t v = t * d % stride;
        bool seen = false;
        for (int64_t i = 0; i < ph.count; ++i) seen = seen || ph.value[i] == v;
        if (!seen) ph.value[ph.count++] = v;
    }
    return ph;
}

// The band's shape in the workspace (direct_blocked.h): planes of pr x wq, ps floats apart, cs per channel.
struct Planes {
    Phases rows, cols;
    int64_t pr, wq, ps, cs, slack, ls;
};

Planes planes_of(const conv4j_problem &p, int64_t rows) {
    Planes g;
    g.rows = phases_of(p.r, p.dil_h, p.stride_h);
    g.cols = phases_of(p.s, p.dil_w, p.stride_w);
    g.pr = rows + (p.r - 1) * p.dil_h / p.stride_h;
    g.wq = p.q + (p.s - 1) * p.dil_w / p.stride_w;
    g.ps = round16(g.pr * g.wq);
    g.cs = g.rows.count * g.cols.count * g.ps;
    g.slack = round16((p.s - 1) * p.dil_w / p.stride_w) + 16;
    g.ls = round16(rows * g.wq);
    return g;
}

int64_t padded_k(const conv4j_problem &p) { return (p.k_per_group + KB - 1) / KB * KB; }

// Filters kb .. kb + KB - 1 of group g, packed (direct_blocked.h) at dst.
void pack_block(const conv4j_problem &p, const float *w, int64_t g, int64_t kb, float *dst) {
    const int64_t cg = p.c_per_group, kg = p.k_per_group, RS = p.r * p.s, n = cg * RS;
    for (int j = 0; j < KB; ++j) {  // filter by filter, each read in its order (t = c*RS + tap)
        const int64_t k = kb + j;
        if (k >= kg) {
            for (int64_t t = 0; t < n; ++t) dst[t * KB + j] = 0.0f;
            continue;
        }
        const float *wk = w + (g * kg + k) * n;
        if (!p.flip) {
            for (int64_t t = 0; t < n; ++t) dst[t * KB + j] = wk[t];
        } else {  // tap r*S + s reads the rotated filter, (R-1-r)*S + (S-1-s) = RS-1 - tap
            for (int64_t c = 0; c < cg; ++c) {
                for (int64_t tap = 0; tap < RS; ++tap) dst[(c * RS + tap) * KB + j] = wk[c * RS + RS - 1 - tap];
            }
        }
    }
}

// dst[j] = s[2j] for j < n: vectors of 16 outputs, then one of 8, each from whole vectors of the input that end at
// or before the last element it reads, s[2n - 2]; then one by one. The compiler's own loop left all but 16 of each
// plane row's 28 outputs of strided-3x3-s2 to its scalar tail: the copy's loop held 8 % of that case's samples
// (perf, 1 thread, Zen 5), 4 % after.
CONV4J_INLINE void every_second(const float *s, int64_t n, float *dst) {
    typedef Vec<16>::type v16;
    typedef Vec<8>::type v8;
    int64_t j = 0;
    for (; j + 16 < n; j += 16) {
        const v16 a = *(const Vec<16>::unaligned *)(s + 2 * j), b = *(const Vec<16>::unaligned *)(s + 2 * j + 16);
        *(Vec<16>::unaligned *)(dst + j) =
            __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    }
    if (j + 8 < n) {
        const v8 a = *(const Vec<8>::unaligned *)(s + 2 * j), b = *(const Vec<8>::unaligned *)(s + 2 * j + 8);
        *(Vec<8>::unaligned *)(dst + j) = __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
        j += 8;
    }
    for (; j < n; ++j) dst[j] = s[2 * j];
}

// The phase planes of the band's input window (direct_blocked.h) for the group's channels xg (H x W planes),
// zeros in each plane's tail and the slack after the last, so that every lane read is a finite number. Inlined
// into each vector body, whose instructions its copies then use.
CONV4J_INLINE void fill_planes(const conv4j_problem &p, const float *xg, int64_t p0, const Planes &g, float *xb) {
    const int64_t sh = p.stride_h, sw = p.stride_w, H = p.h, W = p.w;
    for (int64_t c = 0; c < p.c_per_group; ++c) {
        const float *xc = xg + c * H * W;
        for (int64_t ia = 0; ia < g.rows.count; ++ia) {
            for (int64_t ib = 0; ib < g.cols.count; ++ib) {
                const int64_t a = g.rows.value[ia], b = g.cols.value[ib];
                float *plane = xb + c * g.cs + (ia * g.cols.count + ib) * g.ps;
                for (int64_t i = 0; i < g.pr; ++i) {
                    float *dst = plane + i * g.wq;
                    const int64_t ih = border_index(p.border, p0 * sh + i * sh + a - p.pad_top, H);
                    if (ih < 0) {
                        std::fill(dst, dst + g.wq, 0.0f);
                        continue;
                    }
                    const float *src = xc + ih * W;
                    // plane column j reads input column j*sw + b - pad_left; inside [0, W) for j in [lo, hi)
                    int64_t lo, hi;
                    inside_q_range(b - p.pad_left, sw, W, g.wq, lo, hi);
                    for (int64_t j = 0; j < lo; ++j) {
                        const int64_t iw = border_index(p.border, j * sw + b - p.pad_left, W);
                        dst[j] = iw < 0 ? 0.0f : src[iw];
                    }
                    const float *s = src + b - p.pad_left;
                    if (sw == 1) {
                        std::memcpy(dst + lo, s + lo, (hi - lo) * sizeof(float));
                    } else if (sw == 2) {
                        every_second(s + 2 * lo, hi - lo, dst + lo);
                    } else {
                        for (int64_t j = lo; j < hi; ++j) dst[j] = s[j * sw];
                    }
                    for (int64_t j = hi; j < g.wq; ++j) {
                        const int64_t iw = border_index(p.border, j * sw + b - p.pad_left, W);
                        dst[j] = iw < 0 ? 0.0f : src[iw];
                    }
                }
                std::fill(plane + g.pr * g.wq, plane + g.ps, 0.0f);
            }
        }
    }
    std::fill(xb + p.c_per_group * g.cs, xb + p.c_per_group * g.cs + g.slack, 0.0f);
}

// st[j][o + t*V + l] = sum_{c, tap} wp[(c*taps + tap)*KB + j] * xb[c*cs + off[tap] + o + t*V + l] for j < KR,
// t < TV, l < V (o: the caller's offset into xb and st; wp and st start at the first of the KR channels).
// One tap (1x1) is its own instance, with the tap loop and its offset load gone: a loop of one trip around each
// channel's multiply-adds cost 1x1 problems 12 % (resnet50-res2-1x1 on Zen 5, 1 thread: 568 -> 498 us).
template <int V, int TV, int KR>
CONV4J_INLINE void micro_kernel(const float *xb, int64_t cs, const int64_t *off, int64_t taps, int64_t cg,
                                const float *wp, float *st, int64_t ls) {
    if (taps == 1) {
        const float *x0 = xb + off[0];
        register_block<V, TV, KR, KB>([&](int64_t c, int64_t) CONV4J_ALWAYS_INLINE { return x0 + c * cs; }, 1, cg, wp,
                                      st, ls);
        return;
    }
    register_block<V, TV, KR, KB>([&](int64_t c, int64_t tap) CONV4J_ALWAYS_INLINE { return xb + c * cs + off[tap]; },
                                  taps, cg, wp, st, ls);
}

// The transposed micro-kernel (AVX-512 only): output channels across the lanes, columns of one output row in
// accumulators, as oneDNN's direct kernels hold them, so that no column outside the row is computed (a 14-column
// row in 16-float vectors of columns wastes 1/8). KC = 32 channels (the 4 packed blocks from wp on, bs floats apart)
// in 2 vectors of 16, by TW <= kSegmentMax columns: 28 accumulators of AVX-512's 32 registers. Per term 2 vectors of
// weights (each two 8-channel halves) and TW broadcasts of the input feed 2*TW multiply-adds.
//   tmp[t*KC + j] = sum_{c, tap} xb[c*cs + off[tap] + t] * wp[(j/KB)*bs + (c*taps + tap)*KB + j%KB],  t < TW, j < KC
// in the order c, then tap, one multiply-add a term: micro_kernel's products in micro_kernel's order, so the same
// bits. ONE_TAP: the instance without the tap loop (1x1, as in micro_kernel).
constexpr int KC = 32, kSegmentMax = 14;

template <int TW, bool ONE_TAP>
CONV4J_INLINE void channel_kernel(const float *xb, int64_t cs, const int64_t *off, int64_t taps, int64_t cg,
                                  const float *wp, int64_t bs, float *tmp) {
    typedef Vec<16>::type vec;
    typedef Vec<8>::type half;
    typedef Vec<8>::unaligned uhalf;
    vec acc[TW][2];
    for (int t = 0; t < TW; ++t) acc[t][0] = acc[t][1] = vec{};
    const int64_t nt = ONE_TAP ? 1 : taps;
    for (int64_t c = 0; c < cg; ++c) {
        const float *xc = xb + c * cs, *wc = wp + c * nt * KB;
        for (int64_t tap = 0; tap < nt; ++tap) {
            const float *x = ONE_TAP ? xc : xc + off[tap], *wt = wc + tap * KB;
            const half h0 = *(const uhalf *)wt, h1 = *(const uhalf *)(wt + bs), h2 = *(const uhalf *)(wt + 2 * bs),
                       h3 = *(const uhalf *)(wt + 3 * bs);
            const vec w0 = __builtin_shufflevector(h0, h1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            const vec w1 = __builtin_shufflevector(h2, h3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (int t = 0; t < TW; ++t) {
                const float v = x[t];
                acc[t][0] += v * w0;
                acc[t][1] += v * w1;
            }
        }
    }
    for (int t = 0; t < TW; ++t) {
        *(vec *)(tmp + t * KC) = acc[t][0];
        *(vec *)(tmp + t * KC + 16) = acc[t][1];
    }
}

template <int TW>
CONV4J_INLINE void channel_kernel_taps(const float *xb, int64_t cs, const int64_t *off, int64_t taps, int64_t cg,
                                       const float *wp, int64_t bs, float *tmp) {
    if (taps == 1) {
        channel_kernel<TW, true>(xb + off[0], cs, off, 1, cg, wp, bs, tmp);
    } else {
        channel_kernel<TW, false>(xb, cs, off, taps, cg, wp, bs, tmp);
    }
}

// channel_kernel for tw (1 to kSegmentMax) columns.
template <int TW = kSegmentMax>
CONV4J_INLINE void channel_segment(int64_t tw, const float *xb, int64_t cs, const int64_t *off, int64_t taps,
                                   int64_t cg, const float *wp, int64_t bs, float *tmp) {
    if constexpr (TW >= 1) {
        if (tw == TW) {
            channel_kernel_taps<TW>(xb, cs, off, taps, cg, wp, bs, tmp);
        } else {
            channel_segment<TW - 1>(tw, xb, cs, off, taps, cg, wp, bs, tmp);
        }
    }
}

#if CONV4J_X86_DISPATCH
// r[i][j] becomes r[j][i] (16 x 16): pairs of lanes, pairs of pairs, then 128-bit quarters twice, 64 shuffles of two
// vectors (GCC's vector shuffles, which it compiles to unpacks and permutes).
CONV4J_INLINE void transpose16(Vec<16>::type r[16]) {
    Vec<16>::type t[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
    }
    for (int i = 0; i < 16; i += 4) {
        for (int h = 0; h < 2; ++h) {
            const Vec<16>::type a = t[i + h], b = t[i + h + 2];
            r[i + 2 * h] = __builtin_shufflevector(a, b, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
            r[i + 2 * h + 1] = __builtin_shufflevector(a, b, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
        }
    }
    for (int i = 0; i < 16; i += 8) {
        for (int j = 0; j < 4; ++j) {
            const Vec<16>::type a = r[i + j], b = r[i + j + 4];
            t[i + j] = __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
            t[i + j + 4] = __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
        }
    }
    for (int j = 0; j < 8; ++j) {
        const Vec<16>::type a = t[j], b = t[j + 8];
        r[j] = __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        r[j + 8] = __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
    }
}

// y[k][p0*Q + o + t] = act(tmp[t*KC + j] + bias (+ y)) for t < tw and the block's channels k = kfirst + j, j < kn:
// store_block's arithmetic, in its order in every lane. Each 16 channels' tw x 16 sums are transposed in
// registers (rows past tw zero), then every channel's tw outputs are one masked vector (the lanes past tw neither
// read nor written). Lane by lane, these stores took about 4 % of strided-3x3-s2 (Zen 5).
CONV4J_TARGET_AVX512 inline void store_segment(const conv4j_problem &p, const float *tmp, int64_t tw,
                                               const float *bias, int64_t n, int64_t kfirst, int64_t kn, int64_t p0,
                                               int64_t o, float *y) {
    typedef Vec<16>::type vec;
    const __mmask16 lanes = (__mmask16)((1u << tw) - 1);  // tw <= kSegmentMax < 16
    for (int64_t h = 0; h * 16 < kn; ++h) {
        vec r[16];
        for (int64_t t = 0; t < 16; ++t) r[t] = t < tw ? *(const vec *)(tmp + t * KC + h * 16) : vec{};
        transpose16(r);
        for (int64_t j = h * 16; j < std::min<int64_t>(kn, h * 16 + 16); ++j) {
            const int64_t k = kfirst + j;
            float *yk = y + ((n * p.k + k) * p.p + p0) * p.q + o;
            vec v = r[j - h * 16] + (p.has_bias ? bias[k] : 0.0f);
            if (p.epi_sum) v += (vec)_mm512_maskz_loadu_ps(lanes, yk);
            activate(p, v);
            _mm512_mask_storeu_ps(yk, lanes, (__m512)v);
        }
    }
}

// Whether the transposed kernel takes the problem (direct_blocked_transposed, direct_blocked.h): over reductions of
// 256 terms and more, 1x1 filters read in place too. Since its stores are masked vectors (store_segment) it ran as
// fast as the columns kernel or faster on every such problem timed (C++ harness, prepared filters, Zen 5, best of 6
// rounds, 1 / 2 threads, columns -> transposed, ms): resnet50-res2-1x1 (256 terms, bands of 4 rows) 0.511 -> 0.506 /
// 0.291 -> 0.266, a 3x3 of 48 channels to 64 on 56x56 (432) 0.883 -> 0.846 / 0.484 -> 0.443, resnet50-res2-3x3 (576)
// 1.165 -> 1.115 / 0.603 -> 0.563, deeplab-dilated (576) 1.560 -> 1.510 / 1.541 -> 1.462, a 1x1 of 1024 channels
// to 256 on 14x14 0.605 -> 0.482 / 0.334 -> 0.272. Below, its accumulators' loads and stores weigh more than the
// lanes it saves: a 1x1 of 64 channels to 256 on 56x56 (64 terms) 0.585 -> 0.604, resnet50-conv1 (147) 1.240 ->
// 1.262 at 1 thread.
bool transposed_kernel_takes(const conv4j_problem &p) {
    if (direct_blocked_transposed >= 0) return direct_blocked_transposed == 1;
    return p.reduction >= 256;
}
#endif  // CONV4J_X86_DISPATCH

// y[k][p0 + i][0, Q) = act(st[j][i*wq, i*wq + Q) + bias (+ y)) for the block's channels k = g*Kg + kb + j.
template <int V>
CONV4J_INLINE void store_block(const conv4j_problem &p, const float *st, const Planes &g, const float *bias,
                               int64_t n, int64_t kfirst, int64_t kn, int64_t p0, int64_t rows, float *y) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned uvec;
    const int64_t Q = p.q;
    for (int64_t j = 0; j < kn; ++j) {
        const int64_t k = kfirst + j;
        const float b = p.has_bias ? bias[k] : 0.0f;
        for (int64_t i = 0; i < rows; ++i) {
            const float *s = st + j * g.ls + i * g.wq;
            float *yr = y + ((n * p.k + k) * p.p + p0 + i) * Q;
            int64_t q = 0;
            for (; q + V <= Q; q += V) {
                vec v = *(const uvec *)(s + q) + b;
                if (p.epi_sum) v += *(const uvec *)(yr + q);
                activate(p, v);
                *(uvec *)(yr + q) = v;
            }
            for (; q < Q; ++q) {
                float v = s[q] + b;
                if (p.epi_sum) v += yr[q];
                activate(p, v);
                yr[q] = v;
            }
        }
    }
}

// micro_kernel over all KB channels of the block, KR at a time.
template <int V, int TV, int KR>
CONV4J_INLINE void passes(const float *xb, int64_t cs, const int64_t *off, int64_t taps, int64_t cg, const float *wp,
                          float *st, int64_t ls) {
    for (int j0 = 0; j0 < KB; j0 += KR) micro_kernel<V, TV, KR>(xb, cs, off, taps, cg, wp + j0, st + j0 * ls, ls);
}

// st[j][o, o + TV*V) of the block's KB channels over columns [o, end) of the planes src (channel stride cs): blocks
// of TV vectors, each as KB/KR passes of KR channels, then of 2 vectors (as many passes) or 1 (all KB channels at
// once; a last vector's lanes past end are computed and dropped).
template <int V, int TV, int KR>
CONV4J_INLINE void columns(const float *src, int64_t cs, const int64_t *off, int64_t taps, int64_t cg, const float *wp,
                           int64_t o, int64_t end, float *st, int64_t ls) {
    while (o < end) {
        const int64_t left = (end - o + V - 1) / V;
        if (left >= TV) {
            passes<V, TV, KR>(src + o, cs, off, taps, cg, wp, st + o, ls);
            o += TV * V;
        } else if (left == 2) {
            passes<V, 2, KR>(src + o, cs, off, taps, cg, wp, st + o, ls);
            o += 2 * V;
        } else {
            micro_kernel<V, 1, KB>(src + o, cs, off, taps, cg, wp, st + o, ls);
            o += V;
        }
    }
}

}  // namespace

int direct_blocked_transposed = -1;

namespace {

template <int V>
CONV4J_INLINE void rows_body(const conv4j_problem &p, const float *x, const float *w, const float *packed,
                             const float *bias, int64_t n, int64_t g, int64_t p0, int64_t rows, float *y, float *ws) {
    constexpr int TV = kernel_vectors<V>, KR = kernel_channels<V, KB>;  // register_block.h
    const Planes pl = planes_of(p, p.tile_rows);
    // the flat columns that hold outputs: row i's Q at i*wq, so the last row's wq - Q after them are not computed
    // (vgg16-conv3's 5-row bands: 288 columns, six blocks of 3 vectors, where 290 took a seventh of 1 for 2 outputs)
    const int64_t cg = p.c_per_group, taps = p.r * p.s, kp = padded_k(p), cols = (rows - 1) * pl.wq + p.q;
    const float *xg = x + (n * p.c + g * cg) * p.h * p.w;
    float *xb = ws, *st = xb + cg * pl.cs + pl.slack, *pk = st + KB * pl.ls;
    // 1x1, stride 1, unpadded: the band of the input is its only plane (wq = Q = W), read where it lies, except
    // for a last partial vector of columns, copied with zeros after it into the planes' place (xb)
    const bool in_place = p.r == 1 && p.s == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_top == 0 &&
                          p.pad_left == 0 && p.p == p.h && p.q == p.w;
    const float *src = in_place ? xg + p0 * p.w : xb;
    const int64_t cs = in_place ? p.h * p.w : pl.cs, whole = in_place ? cols / V * V : cols, rest = cols - whole;
    int64_t off[kMaxTaps];
    if (in_place) {
        off[0] = 0;
        for (int64_t c = 0; c < cg && rest > 0; ++c) {
            for (int64_t l = 0; l < V; ++l) xb[c * V + l] = l < rest ? src[c * cs + whole + l] : 0.0f;
        }
    } else {
        fill_planes(p, xg, p0, pl, xb);
        for (int64_t r = 0; r < p.r; ++r) {
            for (int64_t s = 0; s < p.s; ++s) {
                const int64_t a = pl.rows.slot(r * p.dil_h % p.stride_h), b = pl.cols.slot(s * p.dil_w % p.stride_w);
                off[r * p.s + s] = (a * pl.cols.count + b) * pl.ps + r * p.dil_h / p.stride_h * pl.wq +
                                   s * p.dil_w / p.stride_w;
            }
        }
    }
    int64_t kb = 0;
#if CONV4J_X86_DISPATCH  // AVX-512 (V == 16) only
    if constexpr (V == 16) {
        // blocks of KC channels of packed filters by the transposed kernel, over segments of at most kSegmentMax
        // columns of each output row (of the band's rows * Q columns as one row when read in place, where wq = Q),
        // as equal as they split; the rest of the channels below
        if (packed != nullptr && p.k_per_group >= KC && transposed_kernel_takes(p)) {
            alignas(64) float tmp[kSegmentMax * KC];
            const int64_t len = in_place ? rows * p.q : p.q, lines = in_place ? 1 : rows;
            const int64_t segments = (len + kSegmentMax - 1) / kSegmentMax, bs = cg * taps * KB;
            for (; kb + KC <= kp; kb += KC) {
                const float *wp = packed + (g * kp + kb) * cg * taps;
                const int64_t kn = std::min<int64_t>(KC, p.k_per_group - kb);
                for (int64_t i = 0; i < lines; ++i) {
                    for (int64_t sg = 0, j0 = 0; sg < segments; ++sg) {
                        const int64_t tw = len / segments + (sg < len % segments ? 1 : 0);
                        channel_segment(tw, src + i * pl.wq + j0, cs, off, taps, cg, wp, bs, tmp);
                        store_segment(p, tmp, tw, bias, n, g * p.k_per_group + kb, kn, p0, i * p.q + j0, y);
                        j0 += tw;
                    }
                }
            }
        }
    }
#endif
    for (; kb < kp; kb += KB) {
        const float *wp = pk;
        if (packed != nullptr) {
            wp = packed + (g * kp + kb) * cg * taps;
        } else {
            pack_block(p, w, g, kb, pk);
        }
        columns<V, TV, KR>(src, cs, off, taps, cg, wp, 0, whole, st, pl.ls);
        if (rest > 0) micro_kernel<V, 1, KB>(xb, V, off, 1, cg, wp, st + whole, pl.ls);
        store_block<V>(p, st, pl, bias, n, g * p.k_per_group + kb, std::min<int64_t>(KB, p.k_per_group - kb), p0,
                       rows, y);
    }
}

}  // namespace

int64_t direct_blocked_packed_elements(const conv4j_problem &p) {
    return p.groups * padded_k(p) * p.c_per_group * p.r * p.s;
}

int64_t direct_blocked_workspace(const conv4j_problem &p) {
    const Planes g = planes_of(p, p.tile_rows);
    return p.c_per_group * g.cs + g.slack + KB * g.ls + round16(KB * p.c_per_group * p.r * p.s);
}

int64_t direct_blocked_pack_items(const conv4j_problem &p) { return p.groups * padded_k(p) / KB; }

void direct_blocked_pack(const conv4j_problem &p, const float *w, int64_t item, float *packed) {
    const int64_t blocks = padded_k(p) / KB;
    pack_block(p, w, item / blocks, item % blocks * KB, packed + item * p.c_per_group * p.r * p.s * KB);
}

void direct_blocked_rows(const conv4j_problem &p, const float *x, const float *w, const float *packed,
                         const float *bias, int64_t n, int64_t g, int64_t p0, int64_t rows, float *y, float *ws) {
    run_widest_vectors([&](auto v) CONV4J_ALWAYS_INLINE { rows_body<decltype(v)::value>(p, x, w, packed, bias, n, g, p0, rows, y, ws); });
}

}  // namespace conv4j
