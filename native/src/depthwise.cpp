#include "depthwise.h"

#include <algorithm>

#include "border.h"
#include "epilogue.h"
#include "multiversion.h"

namespace conv4j {

namespace {

// Output columns per block on the general path: the block's accumulators stay in L1 across all R*S
// taps, so each output is loaded and stored once instead of once per tap.
constexpr int64_t kBlock = 256;
// Filters up to this many rows and columns get the register-blocked interior path and have their
// column ranges computed once per plane.
constexpr int64_t kMaxCached = 16;

// Filter column s reads input column q*sw + off; output columns [lo, hi) of a row read inside the input.
struct TapColumns {
    int64_t off, lo, hi;
};

CONV4J_INLINE TapColumns tap_columns(const conv4j_problem &pr, int64_t s) {
    TapColumns t;
    t.off = (pr.flip ? pr.s - 1 - s : s) * pr.dil_w - pr.pad_left;
    inside_q_range(t.off, pr.stride_w, pr.w, pr.q, t.lo, t.hi);
    return t;
}

// acc[j] += wt * xpad_row[(q0 + j)*sw + off] for j < len: the columns inside the input as a
// vectorisable axpy, the others through the border (null row: a zero row).
CONV4J_INLINE void add_tap(const conv4j_problem &pr, const float *row, const TapColumns &tc, float wt, int64_t q0,
                           int64_t len, float *acc) {
    const float zero_term = zero_border_term(wt);
    if (row == nullptr) {
        if (leaves_nan(zero_term)) for (int64_t j = 0; j < len; ++j) acc[j] += zero_term;
        return;
    }
    const int64_t sw = pr.stride_w, off = tc.off;
    const int64_t lo = std::min(std::max(tc.lo, q0), q0 + len) - q0;
    const int64_t hi = std::max(std::min(std::max(tc.hi, q0), q0 + len) - q0, lo);
    for (int64_t j = 0; j < lo; ++j) {
        const int64_t iw = border_index(pr.border, (q0 + j) * sw + off, pr.w);
        acc[j] += iw < 0 ? zero_term : wt * row[iw];
    }
    if (sw == 1) {
        const float *src = row + q0 + off;
        for (int64_t j = lo; j < hi; ++j) acc[j] += wt * src[j];
    } else {
        const float *src = row + q0 * sw + off;
        for (int64_t j = lo; j < hi; ++j) acc[j] += wt * src[j * sw];
    }
    for (int64_t j = hi; j < len; ++j) {
        const int64_t iw = border_index(pr.border, (q0 + j) * sw + off, pr.w);
        acc[j] += iw < 0 ? zero_term : wt * row[iw];
    }
}

// Output columns [c0, c1) of row p: any border, stride, filter size, in blocks of kBlock.
CONV4J_INLINE void row_general(const conv4j_problem &pr, const float *x, const float *w, float bias,
                               const TapColumns *cached, int64_t p, int64_t c0, int64_t c1, float *dst) {
    float acc[kBlock];
    for (int64_t q0 = c0; q0 < c1; q0 += kBlock) {
        const int64_t len = std::min(kBlock, c1 - q0);
        for (int64_t j = 0; j < len; ++j) acc[j] = pr.epi_sum ? dst[q0 + j] + bias : bias;
        for (int64_t r = 0; r < pr.r; ++r) {
            const int64_t rr = pr.flip ? pr.r - 1 - r : r;
            const int64_t ih = border_index(pr.border, p * pr.stride_h - pr.pad_top + rr * pr.dil_h, pr.h);
            const float *row = ih < 0 ? nullptr : x + ih * pr.w;
            for (int64_t s = 0; s < pr.s; ++s) {
                add_tap(pr, row, s < kMaxCached ? cached[s] : tap_columns(pr, s), w[r * pr.s + s], q0, len, acc);
            }
        }
        for (int64_t j = 0; j < len; ++j) {
            float v = acc[j];
            activate(pr, v);
            dst[q0 + j] = v;
        }
    }
}

// One output column q of a row, tap by tap exactly as add_tap sums it (for the few columns at the
// edges and the remainder of the vector loop). rows[r]: the input row tap row r reads (null: zero row).
CONV4J_INLINE float column(const conv4j_problem &pr, const float *const *rows, const float *w, float init,
                           const TapColumns *cached, int64_t q) {
    float acc = init;
    for (int64_t r = 0; r < pr.r; ++r) {
        const float *row = rows[r];
        for (int64_t s = 0; s < pr.s; ++s) {
            const float wt = w[r * pr.s + s], zero_term = zero_border_term(wt);
            if (row == nullptr) {
                if (leaves_nan(zero_term)) acc += zero_term;
                continue;
            }
            const int64_t iw = border_index(pr.border, q * pr.stride_w + cached[s].off, pr.w);
            acc += iw < 0 ? zero_term : wt * row[iw];
        }
    }
    activate(pr, acc);
    return acc;
}

// Stride-1 columns [c0, c1) of a row whose every tap reads inside the input's width: U vectors of V
// lanes of outputs accumulate all R*S taps in registers. rows[r]: the input row tap row r reads (null:
// a zero row). Returns the first column not done (fewer than U*V left).
template <int V, int U>
CONV4J_INLINE int64_t row_interior(const conv4j_problem &pr, const float *const *rows, const float *w, float bias,
                                   const TapColumns *cached, const float *y_in, int64_t c0, int64_t c1, float *dst) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned unaligned_vec;
    const int64_t R = pr.r, S = pr.s;
    int64_t q = c0;
    for (; q + U * V <= c1; q += U * V) {
        vec acc[U];
        for (int u = 0; u < U; ++u) {
            acc[u] = vec{} + bias;
            if (pr.epi_sum) acc[u] = *reinterpret_cast<const unaligned_vec *>(y_in + q + u * V) + bias;
        }
        for (int64_t r = 0; r < R; ++r) {
            const float *row = rows[r];
            for (int64_t s = 0; s < S; ++s) {
                const float wt = w[r * S + s];
                if (row == nullptr) {
                    const float zero_term = zero_border_term(wt);
                    if (leaves_nan(zero_term)) for (int u = 0; u < U; ++u) acc[u] += zero_term;
                    continue;
                }
                const float *src = row + q + cached[s].off;
                for (int u = 0; u < U; ++u) acc[u] += wt * *reinterpret_cast<const unaligned_vec *>(src + u * V);
            }
        }
        for (int u = 0; u < U; ++u) {
            vec v = acc[u];
            activate(pr, v);
            *reinterpret_cast<unaligned_vec *>(dst + q + u * V) = v;
        }
    }
    return q;
}

// Interior columns [c0, c1) of a row with stride 1: eight vectors at a time (enough independent sums
// to hide the FMA latency), then four, then a last block ending at c1 that overlaps columns already
// done: they are recomputed from the same inputs in the same order, so to the same values (a residual
// sum reads their y_in from tail_in, saved before anything was written).
template <int V>
CONV4J_INLINE void interior(const conv4j_problem &pr, const float *const *rows, const float *w, float bias,
                            const TapColumns *cached, int64_t c0, int64_t c1, float *dst) {
    if (c1 - c0 < V) {
        for (int64_t q = c0; q < c1; ++q) dst[q] = column(pr, rows, w, pr.epi_sum ? dst[q] + bias : bias, cached, q);
        return;
    }
    const int64_t tail = c1 - c0 >= 4 * V ? 4 * V : V;
    float tail_in[4 * V];
    if (pr.epi_sum) std::copy(dst + c1 - tail, dst + c1, tail_in);
    const float *tail_y_in = tail_in - (c1 - tail);
    int64_t q = row_interior<V, 8>(pr, rows, w, bias, cached, dst, c0, c1, dst);
    q = row_interior<V, 4>(pr, rows, w, bias, cached, dst, q, c1, dst);
    if (q == c1) return;
    if (tail == 4 * V) {
        row_interior<V, 4>(pr, rows, w, bias, cached, tail_y_in, c1 - tail, c1, dst);
    } else {
        q = row_interior<V, 1>(pr, rows, w, bias, cached, dst, q, c1, dst);
        if (q < c1) row_interior<V, 1>(pr, rows, w, bias, cached, tail_y_in, c1 - tail, c1, dst);
    }
}

// y[p][q] = act(bias + y_in + sum_{r,s} w[r][s] * xpad[p*sh + r'*dh][q*sw + s'*dw]), summed in that
// order on every path, so the paths agree bit for bit.
template <int V>
CONV4J_INLINE void plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y) {
    TapColumns cached[kMaxCached];
    const float *rows[kMaxCached];
    int64_t in_lo = 0, in_hi = pr.q;  // output columns where every tap reads inside the width
    for (int64_t s = 0; s < std::min(pr.s, kMaxCached); ++s) {
        cached[s] = tap_columns(pr, s);
        in_lo = std::max(in_lo, cached[s].lo);
        in_hi = std::min(in_hi, cached[s].hi);
    }
    const bool vectorised = pr.stride_w == 1 && pr.r <= kMaxCached && pr.s <= kMaxCached && in_lo < in_hi;
    for (int64_t p = 0; p < pr.p; ++p) {
        float *dst = y + p * pr.q;
        if (!vectorised) {
            row_general(pr, x, w, bias, cached, p, 0, pr.q, dst);
            continue;
        }
        for (int64_t r = 0; r < pr.r; ++r) {
            const int64_t rr = pr.flip ? pr.r - 1 - r : r;
            const int64_t ih = border_index(pr.border, p * pr.stride_h - pr.pad_top + rr * pr.dil_h, pr.h);
            rows[r] = ih < 0 ? nullptr : x + ih * pr.w;
        }
        interior<V>(pr, rows, w, bias, cached, in_lo, in_hi, dst);
        for (int64_t q = 0; q < in_lo; ++q) dst[q] = column(pr, rows, w, pr.epi_sum ? dst[q] + bias : bias, cached, q);
        for (int64_t q = in_hi; q < pr.q; ++q) {
            dst[q] = column(pr, rows, w, pr.epi_sum ? dst[q] + bias : bias, cached, q);
        }
    }
}

}  // namespace

void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y) {
    run_widest_vectors([&](auto v) CONV4J_ALWAYS_INLINE { plane<decltype(v)::value>(pr, x, w, bias, y); });
}

}  // namespace conv4j
