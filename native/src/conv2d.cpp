// The convolution driver: loops over images, groups and bands of output rows, picks the path the
// Java descriptor chose, and applies the epilogue (bias, activation) while each band is still in cache;
// a residual sum is GEMM's beta = 1.
#include <algorithm>

#include "conv4j.h"
#include "depthwise.h"
#include "epilogue.h"
#include "gemm.h"
#include "im2col.h"

namespace conv4j {
namespace {

// Y_g[Kg x PQ] = W_g[Kg x CRS] * col_g[CRS x PQ], one band of output rows at a time.
void forward_im2col(const conv4j_problem &pr, const float *x, const float *w, const float *bias,
                    float *y, float *col) {
    const int64_t PQ = pr.p * pr.q, HW = pr.h * pr.w;
    for (int64_t n = 0; n < pr.n; ++n) {
        for (int64_t g = 0; g < pr.groups; ++g) {
            const float *xg = x + (n * pr.c + g * pr.c_per_group) * HW;
            const float *wg = w + g * pr.k_per_group * pr.reduction;
            float *yg = y + (n * pr.k + g * pr.k_per_group) * PQ;
            for (int64_t p0 = 0; p0 < pr.p; p0 += pr.tile_rows) {
                const int64_t rows = std::min(pr.tile_rows, pr.p - p0);
                const int64_t band = rows * pr.q;
                im2col_rows(pr, xg, p0, rows, col);
                float *yb = yg + p0 * pr.q;
                sgemm_rowmajor(pr.k_per_group, band, pr.reduction, wg, pr.reduction, col, band, yb, PQ,
                               pr.epi_sum != 0);
                if (!epilogue_is_identity(pr)) {
                    apply_epilogue(pr, pr.has_bias ? bias + g * pr.k_per_group : nullptr, pr.k_per_group, band,
                                   PQ, yb);
                }
            }
        }
    }
}

// 1x1, stride 1, no padding: Y_g[Kg x HW] = W_g[Kg x Cg] * X_g[Cg x HW].
void forward_direct(const conv4j_problem &pr, const float *x, const float *w, const float *bias,
                    float *y) {
    const int64_t HW = pr.h * pr.w;
    for (int64_t n = 0; n < pr.n; ++n) {
        for (int64_t g = 0; g < pr.groups; ++g) {
            const float *xg = x + (n * pr.c + g * pr.c_per_group) * HW;
            const float *wg = w + g * pr.k_per_group * pr.reduction;
            float *yg = y + (n * pr.k + g * pr.k_per_group) * HW;
            sgemm_rowmajor(pr.k_per_group, HW, pr.reduction, wg, pr.reduction, xg, HW, yg, HW, pr.epi_sum != 0);
            if (!epilogue_is_identity(pr)) {
                apply_epilogue(pr, pr.has_bias ? bias + g * pr.k_per_group : nullptr, pr.k_per_group, HW, HW, yg);
            }
        }
    }
}

// Each output channel k reads the single input channel k / (K/G) (C/G == 1).
void forward_depthwise(const conv4j_problem &pr, const float *x, const float *w, const float *bias,
                       float *y) {
    const int64_t HW = pr.h * pr.w, PQ = pr.p * pr.q, RS = pr.r * pr.s;
    for (int64_t n = 0; n < pr.n; ++n) {
        for (int64_t k = 0; k < pr.k; ++k) {
            depthwise_plane(pr, x + (n * pr.c + k / pr.k_per_group) * HW, w + k * RS, pr.has_bias ? bias[k] : 0.0f,
                            y + (n * pr.k + k) * PQ);
        }
    }
}

}  // namespace
}  // namespace conv4j

extern "C" int conv4j_conv2d_forward(const conv4j_problem *prob, const float *x, const float *w,
                                     const float *bias, float *y, float *workspace) {
    const conv4j_problem &pr = *prob;
    switch (pr.path) {
        case CONV4J_PATH_IM2COL_GEMM: conv4j::forward_im2col(pr, x, w, bias, y, workspace); return CONV4J_OK;
        case CONV4J_PATH_DIRECT_GEMM: conv4j::forward_direct(pr, x, w, bias, y); return CONV4J_OK;
        case CONV4J_PATH_DEPTHWISE: conv4j::forward_depthwise(pr, x, w, bias, y); return CONV4J_OK;
        default: return CONV4J_UNKNOWN_PATH;
    }
}
