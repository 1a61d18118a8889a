#include "im2col.h"

#include <algorithm>
#include <cstring>

namespace conv4j {

namespace {

// Smallest q >= 0 with q*sw + off >= 0, and the first q with q*sw + off >= w; clamped to [0, Q].
inline void valid_q_range(int64_t off, int64_t sw, int64_t w, int64_t Q, int64_t &lo, int64_t &hi) {
    lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
    hi = w - off <= 0 ? 0 : (w - off + sw - 1) / sw;
    lo = std::min(lo, Q);
    hi = std::max(lo, std::min(hi, Q));
}

}  // namespace

void im2col_rows(const conv4j_problem &pr, const float *x, int64_t p0, int64_t rows, float *col) {
    const int64_t H = pr.h, W = pr.w, Q = pr.q, R = pr.r, S = pr.s;
    const int64_t band = rows * Q;
    for (int64_t c = 0; c < pr.c_per_group; ++c) {
        const float *xc = x + c * H * W;
        for (int64_t r = 0; r < R; ++r) {
            const int64_t rr = pr.flip ? R - 1 - r : r;
            for (int64_t s = 0; s < S; ++s) {
                const int64_t ss = pr.flip ? S - 1 - s : s;
                float *dst = col + ((c * R + r) * S + s) * band;
                const int64_t off_w = ss * pr.dil_w - pr.pad_left;
                int64_t q_lo, q_hi;
                valid_q_range(off_w, pr.stride_w, W, Q, q_lo, q_hi);
                for (int64_t p = p0; p < p0 + rows; ++p, dst += Q) {
                    const int64_t ih = p * pr.stride_h - pr.pad_top + rr * pr.dil_h;
                    if (ih < 0 || ih >= H) {
                        std::memset(dst, 0, sizeof(float) * Q);
                        continue;
                    }
                    const float *src = xc + ih * W + off_w;
                    std::fill(dst, dst + q_lo, 0.0f);
                    if (pr.stride_w == 1) {
                        std::memcpy(dst + q_lo, src + q_lo, sizeof(float) * (q_hi - q_lo));
                    } else {
                        for (int64_t q = q_lo; q < q_hi; ++q) dst[q] = src[q * pr.stride_w];
                    }
                    std::fill(dst + q_hi, dst + Q, 0.0f);
                }
            }
        }
    }
}

}  // namespace conv4j
