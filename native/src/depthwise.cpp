#include "depthwise.h"

#include <algorithm>

#include "border.h"

namespace conv4j {

void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y) {
    const int64_t H = pr.h, W = pr.w, P = pr.p, Q = pr.q, R = pr.r, S = pr.s;
    const int64_t sw = pr.stride_w;
    if (pr.epi_sum) {
        for (int64_t i = 0; i < P * Q; ++i) y[i] += bias;
    } else {
        std::fill(y, y + P * Q, bias);
    }
    // Accumulate one filter tap at a time over a whole output row: the inner loop over the
    // columns inside the input is an axpy the compiler vectorises; columns outside read the border.
    for (int64_t r = 0; r < R; ++r) {
        const int64_t rr = pr.flip ? R - 1 - r : r;
        for (int64_t s = 0; s < S; ++s) {
            const int64_t ss = pr.flip ? S - 1 - s : s;
            const float wt = w[r * S + s];
            // A zero border contributes wt * 0: nothing, unless wt is Inf or NaN (then NaN, as in PyTorch).
            const float zero_term = wt * 0.0f;
            const bool zero_adds = zero_term != zero_term;
            const int64_t off_w = ss * pr.dil_w - pr.pad_left;
            int64_t q_lo = off_w >= 0 ? 0 : (-off_w + sw - 1) / sw;
            int64_t q_hi = W - off_w <= 0 ? 0 : (W - off_w + sw - 1) / sw;
            q_lo = std::min(q_lo, Q);
            q_hi = std::max(q_lo, std::min(q_hi, Q));
            for (int64_t p = 0; p < P; ++p) {
                float *dst = y + p * Q;
                const int64_t ih = border_index(pr.border, p * pr.stride_h - pr.pad_top + rr * pr.dil_h, H);
                if (ih < 0) {
                    if (zero_adds) for (int64_t q = 0; q < Q; ++q) dst[q] += zero_term;
                    continue;
                }
                const float *row = x + ih * W;
                for (int64_t q = 0; q < q_lo; ++q) {
                    const int64_t iw = border_index(pr.border, q * sw + off_w, W);
                    dst[q] += iw < 0 ? zero_term : wt * row[iw];
                }
                if (sw == 1) {
                    const float *src = row + off_w;
                    for (int64_t q = q_lo; q < q_hi; ++q) dst[q] += wt * src[q];
                } else {
                    for (int64_t q = q_lo; q < q_hi; ++q) dst[q] += wt * row[q * sw + off_w];
                }
                for (int64_t q = q_hi; q < Q; ++q) {
                    const int64_t iw = border_index(pr.border, q * sw + off_w, W);
                    dst[q] += iw < 0 ? zero_term : wt * row[iw];
                }
            }
        }
    }
}

}  // namespace conv4j
