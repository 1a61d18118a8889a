#include "im2col.h"

#include <algorithm>
#include <cstring>

#include "border.h"

namespace conv4j {

namespace {

// Columns outside the input read what the border says (0 for a zero border).
inline void fill_outside(const conv4j_problem &pr, const float *row, int64_t off, int64_t q0, int64_t q1,
                         float *dst) {
    for (int64_t q = q0; q < q1; ++q) {
        const int64_t iw = border_index(pr.border, q * pr.stride_w + off, pr.w);
        dst[q] = iw < 0 ? 0.0f : row[iw];
    }
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
                inside_q_range(off_w, pr.stride_w, W, Q, q_lo, q_hi);
                for (int64_t p = p0; p < p0 + rows; ++p, dst += Q) {
                    const int64_t ih = border_index(pr.border, p * pr.stride_h - pr.pad_top + rr * pr.dil_h, H);
                    if (ih < 0) {
                        std::memset(dst, 0, sizeof(float) * Q);
                        continue;
                    }
                    const float *row = xc + ih * W;
                    fill_outside(pr, row, off_w, 0, q_lo, dst);
                    if (pr.stride_w == 1) {
                        std::memcpy(dst + q_lo, row + q_lo + off_w, sizeof(float) * (q_hi - q_lo));
                    } else {
                        for (int64_t q = q_lo; q < q_hi; ++q) dst[q] = row[q * pr.stride_w + off_w];
                    }
                    fill_outside(pr, row, off_w, q_hi, Q, dst);
                }
            }
        }
    }
}

}  // namespace conv4j
