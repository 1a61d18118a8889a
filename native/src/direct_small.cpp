#include "direct_small.h"

#include <algorithm>

#include "border.h"
#include "epilogue.h"
#include "multiversion.h"

namespace conv4j {

namespace {

constexpr int64_t kMaxTaps = CONV4J_DIRECT_SMALL_MAX_REDUCTION;
// Output columns per block: the block's input rows (C/G*R rows of kBlock + span floats) stay in L1
// while every channel block of the group reads them.
constexpr int64_t kBlock = 512;

// Per output row: the input row each (c, r) reads (null: a zero row) and per filter column s the
// offset of input column q*sw + off[s].
struct RowTaps {
    const float *rows[kMaxTaps];
    int64_t off[kMaxTaps];
};

CONV4J_INLINE float activate(const conv4j_problem &pr, float v) {
    switch (pr.activation) {
        case CONV4J_ACT_RELU: return relu(v);
        case CONV4J_ACT_CLAMP: return clamp(v, pr.clamp_lo, pr.clamp_hi);
        default: return v;
    }
}

// One output (channel wk's filter, column q), tap by tap through the border.
CONV4J_INLINE float column(const conv4j_problem &pr, const RowTaps &t, const float *wk, float init, int64_t q) {
    const int64_t CR = pr.c_per_group * pr.r, S = pr.s;
    float acc = init;
    for (int64_t cr = 0; cr < CR; ++cr) {
        const float *row = t.rows[cr];
        for (int64_t s = 0; s < S; ++s) {
            const float wt = wk[cr * S + s], zero_term = wt * 0.0f;  // NaN when wt is Inf or NaN, else nothing
            if (row == nullptr) {
                if (zero_term != zero_term) acc += zero_term;
                continue;
            }
            const int64_t iw = border_index(pr.border, q * pr.stride_w + t.off[s], pr.w);
            acc += iw < 0 ? zero_term : wt * row[iw];
        }
    }
    return activate(pr, acc);
}

// Stride-1 columns [q0, q1) whose every tap reads inside the width, KB channels at once: KB
// accumulators of V lanes; each input vector is loaded once per tap and used by all KB channels.
// Returns the first column not done (fewer than V left).
template <int V, int KB>
CONV4J_INLINE int64_t block(const conv4j_problem &pr, const RowTaps &t, const float *w, const float *bias,
                            int64_t q0, int64_t q1, float *y, int64_t pq) {
    typedef float vec __attribute__((vector_size(4 * V)));
    typedef float unaligned_vec __attribute__((vector_size(4 * V), aligned(4), may_alias));
    const int64_t CR = pr.c_per_group * pr.r, S = pr.s, red = pr.reduction;
    int64_t q = q0;
    for (; q + V <= q1; q += V) {
        vec acc[KB];
        for (int j = 0; j < KB; ++j) {
            const float b = bias ? bias[j] : 0.0f;
            acc[j] = pr.epi_sum ? *reinterpret_cast<const unaligned_vec *>(y + j * pq + q) + b : vec{} + b;
        }
        for (int64_t cr = 0; cr < CR; ++cr) {
            const float *row = t.rows[cr], *wcr = w + cr * S;
            if (row == nullptr) {
                for (int64_t s = 0; s < S; ++s) {
                    for (int j = 0; j < KB; ++j) {
                        const float zero_term = wcr[j * red + s] * 0.0f;
                        if (zero_term != zero_term) acc[j] += zero_term;
                    }
                }
                continue;
            }
            for (int64_t s = 0; s < S; ++s) {
                const vec xv = *reinterpret_cast<const unaligned_vec *>(row + q + t.off[s]);
                for (int j = 0; j < KB; ++j) acc[j] += wcr[j * red + s] * xv;
            }
        }
        const vec zero = vec{}, lo = vec{} + pr.clamp_lo, hi = vec{} + pr.clamp_hi;
        for (int j = 0; j < KB; ++j) {
            vec v = acc[j];
            if (pr.activation == CONV4J_ACT_RELU) v = v < zero ? zero : v;
            if (pr.activation == CONV4J_ACT_CLAMP) v = v < lo ? lo : (v > hi ? hi : v);
            *reinterpret_cast<unaligned_vec *>(y + j * pq + q) = v;
        }
    }
    return q;
}

// Columns [q0, q1) of one output row for all kn channels; y: channel 0's output row.
template <int V>
CONV4J_INLINE void interior(const conv4j_problem &pr, const RowTaps &t, const float *w, const float *bias,
                            int64_t kn, int64_t q0, int64_t q1, float *y, int64_t pq) {
    int64_t k = 0, done = q0;
    for (; k + 8 <= kn; k += 8) done = block<V, 8>(pr, t, w + k * pr.reduction, bias ? bias + k : nullptr, q0, q1, y + k * pq, pq);
    for (; k + 4 <= kn; k += 4) done = block<V, 4>(pr, t, w + k * pr.reduction, bias ? bias + k : nullptr, q0, q1, y + k * pq, pq);
    for (; k < kn; ++k) done = block<V, 1>(pr, t, w + k * pr.reduction, bias ? bias + k : nullptr, q0, q1, y + k * pq, pq);
    for (k = 0; k < kn; ++k) {
        float *yk = y + k * pq;
        const float b = bias ? bias[k] : 0.0f;
        for (int64_t q = done; q < q1; ++q) {
            yk[q] = column(pr, t, w + k * pr.reduction, pr.epi_sum ? yk[q] + b : b, q);
        }
    }
}

template <int V>
CONV4J_INLINE void rows_of(const conv4j_problem &pr, const float *x, const float *w, const float *bias, int64_t kn,
                           int64_t p0, int64_t nrows, float *y) {
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
            interior<V>(pr, t, w, bias, kn, q0, std::min(q0 + kBlock, in_hi), yp, pq);
        }
        for (int64_t k = 0; k < kn; ++k) {
            float *yk = yp + k * pq;
            const float b = bias ? bias[k] : 0.0f;
            for (int64_t q = 0; q < in_lo; ++q) yk[q] = column(pr, t, w + k * pr.reduction, pr.epi_sum ? yk[q] + b : b, q);
            for (int64_t q = in_hi; q < pr.q; ++q) yk[q] = column(pr, t, w + k * pr.reduction, pr.epi_sum ? yk[q] + b : b, q);
        }
    }
}

#if CONV4J_X86_DISPATCH
CONV4J_TARGET_AVX512 void rows_avx512(const conv4j_problem &pr, const float *x, const float *w, const float *bias,
                                      int64_t kn, int64_t p0, int64_t rows, float *y) {
    rows_of<16>(pr, x, w, bias, kn, p0, rows, y);
}

CONV4J_TARGET_AVX_FMA void rows_avx_fma(const conv4j_problem &pr, const float *x, const float *w, const float *bias,
                                        int64_t kn, int64_t p0, int64_t rows, float *y) {
    rows_of<8>(pr, x, w, bias, kn, p0, rows, y);
}
#endif

}  // namespace

void direct_small_rows(const conv4j_problem &pr, const float *x, const float *w, const float *bias, int64_t kn,
                       int64_t p0, int64_t rows, float *y) {
#if CONV4J_X86_DISPATCH
    switch (vector_isa()) {
        case VectorIsa::avx512: rows_avx512(pr, x, w, bias, kn, p0, rows, y); return;
        case VectorIsa::avx_fma: rows_avx_fma(pr, x, w, bias, kn, p0, rows, y); return;
        default: break;
    }
#endif
    rows_of<4>(pr, x, w, bias, kn, p0, rows, y);
}

}  // namespace conv4j
