#include "direct_small.h"

#include <algorithm>

#include "border.h"
#include "epilogue.h"
#include "multiversion.h"

namespace conv4j {

namespace {

constexpr int64_t kMaxTaps = CONV4J_DIRECT_SMALL_MAX_REDUCTION;
constexpr int64_t kMaxFilters = CONV4J_DIRECT_SMALL_MAX_FILTERS;
// Output columns per block: the block's input rows (C/G*R rows of kBlock + span floats) stay in L1
// while every channel block of the group reads them.
constexpr int64_t kBlock = 512;
// Filters x column vectors per register block: 4 x 2 accumulators (+ 2 inputs, 1 weight) fit 16 AVX2
// registers; measured on Zen 3 against 8 x 1, 6 x 2, 8 x 2, 4 x 3, 2 x 6 (thread CPU time on the prep-*
// shapes: 4 x 2 fastest, 52-57 GFLOP/s).
constexpr int kFilterBlock = 4;
constexpr int kColumnVectors = 2;

// Per output row: the input row each (c, r) reads (null: a zero row) and per filter column s the
// offset of input column q*sw + off[s].
struct RowTaps {
    const float *rows[kMaxTaps];
    int64_t off[kMaxTaps];
};

// Keeps a sum in a register of its own at this point: the compiler neither vectorises a loop over terms into
// multiplies and an in-order sum (which would drop the fused multiply-add) nor keeps the sum in memory.
CONV4J_INLINE void keep_scalar(float &v) {
#if defined(__x86_64__) || defined(__i386__)
    __asm__("" : "+x"(v));
#elif defined(__aarch64__)
    __asm__("" : "+w"(v));
#endif
}

// Output column q of channels [k, k + N): acc[j] = init + sum_t wt[t*kn + k + j] * xt[t] in order t = cr*S + s, one
// multiply-add a term (fused where the body has FMA), skipping the taps of a row of the border (t.rows[cr] null)
// unless their term leaves_nan, as block() does.
template <int N>
CONV4J_INLINE void column_channels(const conv4j_problem &pr, const RowTaps &t, const float *xt, const float *wt,
                                   const float *bias, int64_t kn, int64_t k, int64_t q, float *y, int64_t pq) {
    const int64_t CR = pr.c_per_group * pr.r, S = pr.s;
    float acc[N];
    for (int j = 0; j < N; ++j) acc[j] = (pr.epi_sum ? y[(k + j) * pq + q] : 0.0f) + (bias ? bias[k + j] : 0.0f);
    for (int64_t cr = 0; cr < CR; ++cr) {
        const bool zero_row = t.rows[cr] == nullptr;
        for (int64_t i = cr * S; i < (cr + 1) * S; ++i) {
            const float *wi = wt + i * kn + k;
            for (int j = 0; j < N; ++j) {
                if (!zero_row) {
                    acc[j] += wi[j] * xt[i];
                } else {
                    const float zero_term = zero_border_term(wi[j]);
                    if (leaves_nan(zero_term)) acc[j] += zero_term;
                }
                keep_scalar(acc[j]);
            }
        }
    }
    for (int j = 0; j < N; ++j) {
        activate(pr, acc[j]);
        y[(k + j) * pq + q] = acc[j];
    }
}

// Output column q of all kn channels: its taps t = cr*S + s read once through the border into xt[t] (0 for a
// column of the border, whose term w*0 adds like any other; a row of the border is skipped), then kFilterBlock
// channels at a time summed over them, each sum in a register. (Summing all kn channels tap by tap kept the sums in
// memory, a store-to-load chain per term: seed-5x5, whose every column is one of these, 0.48-0.73 -> 0.31-0.43 us
// per call on an AVX2-only EPYC.) wt: the filters transposed, wt[t*kn + k] = w[k][t].
CONV4J_INLINE void column(const conv4j_problem &pr, const RowTaps &t, const float *wt, const float *bias,
                          int64_t kn, int64_t q, float *y, int64_t pq) {
    const int64_t CR = pr.c_per_group * pr.r, S = pr.s;
    float xt[kMaxTaps];
    for (int64_t cr = 0; cr < CR; ++cr) {
        const float *row = t.rows[cr];
        for (int64_t s = 0; s < S; ++s) {
            const int64_t iw = row == nullptr ? -1 : border_index(pr.border, q * pr.stride_w + t.off[s], pr.w);
            xt[cr * S + s] = iw >= 0 ? row[iw] : 0.0f;
        }
    }
    int64_t k = 0;
    for (; k + kFilterBlock <= kn; k += kFilterBlock) column_channels<kFilterBlock>(pr, t, xt, wt, bias, kn, k, q, y, pq);
    for (; k < kn; ++k) column_channels<1>(pr, t, xt, wt, bias, kn, k, q, y, pq);
}

// Stride-1 columns [q0, q1) whose every tap reads inside the width, KB channels at once: KB x U
// accumulators of V lanes; each input vector is loaded once per tap and used by all KB channels, each
// weight broadcast once per tap and used by U vectors. Returns the first column not done (fewer than
// U*V left).
template <int V, int KB, int U>
CONV4J_INLINE int64_t block(const conv4j_problem &pr, const RowTaps &t, const float *w, const float *bias,
                            int64_t q0, int64_t q1, float *y, int64_t pq) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned unaligned_vec;
    const int64_t CR = pr.c_per_group * pr.r, S = pr.s, red = pr.reduction;
    int64_t q = q0;
    for (; q + U * V <= q1; q += U * V) {
        vec acc[KB][U];
        for (int j = 0; j < KB; ++j) {
            const float b = bias ? bias[j] : 0.0f;
            for (int u = 0; u < U; ++u) {
                acc[j][u] = pr.epi_sum ? *reinterpret_cast<const unaligned_vec *>(y + j * pq + q + u * V) + b : vec{} + b;
            }
        }
        for (int64_t cr = 0; cr < CR; ++cr) {
            const float *row = t.rows[cr], *wcr = w + cr * S;
            if (row == nullptr) {
                for (int64_t s = 0; s < S; ++s) {
                    for (int j = 0; j < KB; ++j) {
                        const float zero_term = zero_border_term(wcr[j * red + s]);
                        if (leaves_nan(zero_term)) for (int u = 0; u < U; ++u) acc[j][u] += zero_term;
                    }
                }
                continue;
            }
            for (int64_t s = 0; s < S; ++s) {
                vec xv[U];
                for (int u = 0; u < U; ++u) xv[u] = *reinterpret_cast<const unaligned_vec *>(row + q + u * V + t.off[s]);
                for (int j = 0; j < KB; ++j) {
                    const float wj = wcr[j * red + s];
                    for (int u = 0; u < U; ++u) acc[j][u] += wj * xv[u];
                }
            }
        }
        for (int j = 0; j < KB; ++j) {
            for (int u = 0; u < U; ++u) {
                vec v = acc[j][u];
                activate(pr, v);
                *reinterpret_cast<unaligned_vec *>(y + j * pq + q + u * V) = v;
            }
        }
    }
    return q;
}

// Columns [q0, q1) of one output row for all kn channels; y: channel 0's output row.
template <int V>
CONV4J_INLINE void interior(const conv4j_problem &pr, const RowTaps &t, const float *w, const float *wt,
                            const float *bias, int64_t kn, int64_t q0, int64_t q1, float *y, int64_t pq) {
    int64_t k = 0, done = q0;
    for (; k < kn; k += kFilterBlock) {
        const float *wk = w + k * pr.reduction, *bk = bias ? bias + k : nullptr;
        float *yk = y + k * pq;
        if (k + kFilterBlock <= kn) {
            done = block<V, kFilterBlock, kColumnVectors>(pr, t, wk, bk, q0, q1, yk, pq);
            done = block<V, kFilterBlock, 1>(pr, t, wk, bk, done, q1, yk, pq);
        } else {
            for (int64_t j = k; j < kn; ++j) {
                const int64_t d = block<V, 1, kColumnVectors>(pr, t, w + j * pr.reduction, bias ? bias + j : nullptr, q0, q1, y + j * pq, pq);
                done = block<V, 1, 1>(pr, t, w + j * pr.reduction, bias ? bias + j : nullptr, d, q1, y + j * pq, pq);
            }
        }
    }
    for (int64_t q = done; q < q1; ++q) column(pr, t, wt, bias, kn, q, y, pq);
}

template <int V>
CONV4J_INLINE void rows_of(const conv4j_problem &pr, const float *x, const float *w, const float *wt,
                           const float *bias, int64_t kn, int64_t p0, int64_t nrows, float *y) {
    RowTaps t;
    int64_t in_lo = 0, in_hi = pr.q;  // output columns where every tap reads inside the width
    for (int64_t s = 0; s < pr.s; ++s) {
        t.off[s] = (pr.flip ? pr.s - 1 - s : s) * pr.dil_w - pr.pad_left;
        int64_t lo, hi;
        inside_q_range(t.off[s], pr.stride_w, pr.w, pr.q, lo, hi);
        in_lo = std::max(in_lo, lo);
        in_hi = std::min(in_hi, hi);
    }
    if (pr.stride_w != 1 || in_lo >= in_hi) in_lo = in_hi = 0;
    const int64_t pq = pr.p * pr.q;
    float wt_band[kMaxTaps * kMaxFilters];
    if (wt == nullptr) {
        transpose_filters(pr, w, kn, wt_band);
        wt = wt_band;
    }
    for (int64_t p = p0; p < p0 + nrows; ++p) {
        for (int64_t c = 0; c < pr.c_per_group; ++c) {
            for (int64_t r = 0; r < pr.r; ++r) {
                const int64_t rr = pr.flip ? pr.r - 1 - r : r;
                const int64_t ih = border_index(pr.border, p * pr.stride_h - pr.pad_top + rr * pr.dil_h, pr.h);
                t.rows[c * pr.r + r] = ih < 0 ? nullptr : x + (c * pr.h + ih) * pr.w;
            }
        }
        float *yp = y + p * pr.q;
        for (int64_t q0 = in_lo; q0 < in_hi; q0 += kBlock) {
            interior<V>(pr, t, w, wt, bias, kn, q0, std::min(q0 + kBlock, in_hi), yp, pq);
        }
        for (int64_t q = 0; q < in_lo; ++q) column(pr, t, wt, bias, kn, q, yp, pq);
        for (int64_t q = in_hi; q < pr.q; ++q) column(pr, t, wt, bias, kn, q, yp, pq);
    }
}

}  // namespace

void transpose_filters(const conv4j_problem &pr, const float *w, int64_t kn, float *wt) {
    for (int64_t k = 0; k < kn; ++k) {
        for (int64_t t = 0; t < pr.reduction; ++t) wt[t * kn + k] = w[k * pr.reduction + t];
    }
}

void direct_small_rows(const conv4j_problem &pr, const float *x, const float *w, const float *wt, const float *bias,
                       int64_t kn, int64_t p0, int64_t rows, float *y) {
    run_widest_vectors(
        [&](auto v) CONV4J_ALWAYS_INLINE { rows_of<decltype(v)::value>(pr, x, w, wt, bias, kn, p0, rows, y); });
}

}  // namespace conv4j
