#include "depthwise.h"

#include <algorithm>

namespace conv4j {

void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y) {
    const int64_t H = pr.h, W = pr.w, P = pr.p, Q = pr.q, R = pr.r, S = pr.s;
    const int64_t sw = pr.stride_w;
    std::fill(y, y + P * Q, bias);
    // Accumulate one filter tap at a time over a whole output row: the inner loop is a
    // strided axpy the compiler vectorises. Taps outside the input contribute nothing.
    for (int64_t r = 0; r < R; ++r) {
        const int64_t rr = pr.flip ? R - 1 - r : r;
        for (int64_t s = 0; s < S; ++s) {
            const int64_t ss = pr.flip ? S - 1 - s : s;
            const float wt = w[r * S + s];
            const int64_t off_w = ss * pr.dil_w - pr.pad_left;
            int64_t q_lo = off_w >= 0 ? 0 : (-off_w + sw - 1) / sw;
            int64_t q_hi = W - off_w <= 0 ? 0 : (W - off_w + sw - 1) / sw;
            q_lo = std::min(q_lo, Q);
            q_hi = std::max(q_lo, std::min(q_hi, Q));
            for (int64_t p = 0; p < P; ++p) {
                const int64_t ih = p * pr.stride_h - pr.pad_top + rr * pr.dil_h;
                if (ih < 0 || ih >= H) continue;
                const float *src = x + ih * W + off_w;
                float *dst = y + p * Q;
                if (sw == 1) {
                    for (int64_t q = q_lo; q < q_hi; ++q) dst[q] += wt * src[q];
                } else {
                    for (int64_t q = q_lo; q < q_hi; ++q) dst[q] += wt * src[q * sw];
                }
            }
        }
    }
}

}  // namespace conv4j
