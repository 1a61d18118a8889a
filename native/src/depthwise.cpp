#include "depthwise.h"

#include <algorithm>

#include "border.h"
#include "epilogue.h"
#include "multiversion.h"

namespace conv4j {

namespace {

// Output columns per block: the block's accumulators stay in L1 (or registers) across all R*S taps,
// so each output is loaded and stored once instead of once per tap.
constexpr int64_t kBlock = 64;

// acc[j] += wt * xpad_row[(q0 + j)*sw + off] for j < len: the columns inside the input as a
// vectorisable axpy, the others through the border (null row: a zero row).
CONV4J_INLINE void add_tap(const conv4j_problem &pr, const float *row, int64_t off, float wt, int64_t q0, int64_t len,
                    float *acc) {
    // A zero border contributes wt * 0: nothing, unless wt is Inf or NaN (then NaN, as in PyTorch).
    const float zero_term = wt * 0.0f;
    if (row == nullptr) {
        if (zero_term != zero_term) for (int64_t j = 0; j < len; ++j) acc[j] += zero_term;
        return;
    }
    const int64_t sw = pr.stride_w;
    int64_t lo, hi;
    inside_q_range(off, sw, pr.w, pr.q, lo, hi);
    lo = std::min(std::max(lo, q0), q0 + len) - q0;
    hi = std::min(std::max(hi, q0), q0 + len) - q0;
    hi = std::max(hi, lo);
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

CONV4J_INLINE void store_activated(const conv4j_problem &pr, const float *acc, int64_t len, float *dst) {
    switch (pr.activation) {
        case CONV4J_ACT_RELU: for (int64_t j = 0; j < len; ++j) dst[j] = relu(acc[j]); break;
        case CONV4J_ACT_CLAMP: {
            const float lo = pr.clamp_lo, hi = pr.clamp_hi;
            for (int64_t j = 0; j < len; ++j) dst[j] = clamp(acc[j], lo, hi);
            break;
        }
        default: std::copy(acc, acc + len, dst); break;
    }
}

// y[p][q] = act(bias + y_in + sum_{r,s} w[r][s] * xpad[p*sh + r'*dh][q*sw + s'*dw]), summed in that order,
// one block of kBlock output columns of one row at a time.
CONV4J_INLINE void plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y) {
    const int64_t R = pr.r, S = pr.s;
    float acc[kBlock];
    for (int64_t p = 0; p < pr.p; ++p) {
        float *dst = y + p * pr.q;
        for (int64_t q0 = 0; q0 < pr.q; q0 += kBlock) {
            const int64_t len = std::min(kBlock, pr.q - q0);
            if (pr.epi_sum) {
                for (int64_t j = 0; j < len; ++j) acc[j] = dst[q0 + j] + bias;
            } else {
                std::fill(acc, acc + len, bias);
            }
            for (int64_t r = 0; r < R; ++r) {
                const int64_t rr = pr.flip ? R - 1 - r : r;
                const int64_t ih = border_index(pr.border, p * pr.stride_h - pr.pad_top + rr * pr.dil_h, pr.h);
                const float *row = ih < 0 ? nullptr : x + ih * pr.w;
                for (int64_t s = 0; s < S; ++s) {
                    const int64_t ss = pr.flip ? S - 1 - s : s;
                    add_tap(pr, row, ss * pr.dil_w - pr.pad_left, w[r * S + s], q0, len, acc);
                }
            }
            store_activated(pr, acc, len, dst + q0);
        }
    }
}

#if CONV4J_X86_DISPATCH
CONV4J_TARGET_AVX512 void plane_avx512(const conv4j_problem &pr, const float *x, const float *w, float bias,
                                       float *y) {
    plane(pr, x, w, bias, y);
}

CONV4J_TARGET_AVX_FMA void plane_avx_fma(const conv4j_problem &pr, const float *x, const float *w, float bias,
                                         float *y) {
    plane(pr, x, w, bias, y);
}
#endif

}  // namespace

void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y) {
#if CONV4J_X86_DISPATCH
    switch (vector_isa()) {
        case VectorIsa::avx512: plane_avx512(pr, x, w, bias, y); return;
        case VectorIsa::avx_fma: plane_avx_fma(pr, x, w, bias, y); return;
        default: break;
    }
#endif
    plane(pr, x, w, bias, y);
}

}  // namespace conv4j
