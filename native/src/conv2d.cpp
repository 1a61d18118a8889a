// The convolution driver: splits the problem into work items (image, group, band of output rows; image
// and channel when depthwise), spreads them over the problem's threads (workers.h), runs the path the
// Java descriptor chose on each, and applies the epilogue (bias, activation) while the band is still in
// cache; a residual sum is GEMM's beta = 1.
#include <algorithm>

#include "conv4j.h"
#include "depthwise.h"
#include "direct_blocked.h"
#include "direct_small.h"
#include "epilogue.h"
#include "gemm.h"
#include "im2col.h"
#include "separable.h"
#include "workers.h"

namespace conv4j {
namespace {

// Item i of N * G * bands: image n, group g, output rows [p0, p0 + rows).
struct Band {
    int64_t n, g, p0, rows;
};

Band band_of(const conv4j_problem &pr, int64_t item) {
    const int64_t bands = pr.bands;
    Band b;
    b.p0 = item % bands * pr.tile_rows;
    b.rows = std::min(pr.tile_rows, pr.p - b.p0);
    b.g = item / bands % pr.groups;
    b.n = item / bands / pr.groups;
    return b;
}

void epilogue_band(const conv4j_problem &pr, const float *bias, const Band &b, float *yb) {
    if (!epilogue_is_identity(pr)) {
        apply_epilogue(pr, pr.has_bias ? bias + b.g * pr.k_per_group : nullptr, pr.k_per_group, b.rows * pr.q,
                       pr.p * pr.q, yb);
    }
}

// Y_g[Kg x band] = W_g[Kg x CRS] * col_g[CRS x band], col built in the worker's own workspace.
void im2col_band(const conv4j_problem &pr, const float *x, const float *w, const float *bias, float *y, float *col,
                 const Band &b) {
    const int64_t PQ = pr.p * pr.q, HW = pr.h * pr.w, cols = b.rows * pr.q;
    im2col_rows(pr, x + (b.n * pr.c + b.g * pr.c_per_group) * HW, b.p0, b.rows, col);
    float *yb = y + (b.n * pr.k + b.g * pr.k_per_group) * PQ + b.p0 * pr.q;
    sgemm_rowmajor(pr.k_per_group, cols, pr.reduction, w + b.g * pr.k_per_group * pr.reduction, pr.reduction, col,
                   cols, yb, PQ, pr.epi_sum != 0);
    epilogue_band(pr, bias, b, yb);
}

// 1x1, stride 1, no padding (P x Q = H x W): Y_g[Kg x band] = W_g[Kg x Cg] * X_g[Cg x band].
void direct_band(const conv4j_problem &pr, const float *x, const float *w, const float *bias, float *y,
                 const Band &b) {
    const int64_t HW = pr.h * pr.w, off = b.p0 * pr.q;
    float *yb = y + (b.n * pr.k + b.g * pr.k_per_group) * HW + off;
    sgemm_rowmajor(pr.k_per_group, b.rows * pr.q, pr.reduction, w + b.g * pr.k_per_group * pr.reduction,
                   pr.reduction, x + (b.n * pr.c + b.g * pr.c_per_group) * HW + off, HW, yb, HW, pr.epi_sum != 0);
    epilogue_band(pr, bias, b, yb);
}

// wt: every group's filters transposed (transpose_filters), built once by conv4j_prepare_weights, or null.
void small_reduction_band(const conv4j_problem &pr, const float *x, const float *w, const float *wt, const float *bias,
                          float *y, const Band &b) {
    const int64_t kg = pr.k_per_group, group_weights = b.g * kg * pr.reduction;
    direct_small_rows(pr, x + (b.n * pr.c + b.g * pr.c_per_group) * pr.h * pr.w, w + group_weights,
                      wt ? wt + group_weights : nullptr, pr.has_bias ? bias + b.g * kg : nullptr, kg, b.p0, b.rows,
                      y + (b.n * pr.k + b.g * kg) * pr.p * pr.q);
}

// Item n*K + k: output channel k reads the single input channel k / (K/G) (C/G == 1).
void depthwise_item(const conv4j_problem &pr, const float *x, const float *w, const float *bias, float *y,
                    int64_t item, float *workspace) {
    const int64_t n = item / pr.k, k = item % pr.k, HW = pr.h * pr.w, PQ = pr.p * pr.q;
    depthwise_plane(pr, x + (n * pr.c + k / pr.k_per_group) * HW, w + k * pr.r * pr.s, pr.has_bias ? bias[k] : 0.0f,
                    y + item * PQ, workspace);
}

int forward(const conv4j_problem &pr, const float *x, const float *w, const float *wt, const float *bias, float *y,
            float *workspace) {
    const int64_t band_items = pr.work_items;
    switch (pr.path) {
        case CONV4J_PATH_IM2COL_GEMM:
            parallel_items(band_items, pr.threads, [&](int64_t worker, int64_t item) {
                im2col_band(pr, x, w, bias, y, workspace + worker * pr.workspace_per_thread, band_of(pr, item));
            });
            return CONV4J_OK;
        case CONV4J_PATH_DIRECT_GEMM:
            parallel_items(band_items, pr.threads,
                           [&](int64_t, int64_t item) { direct_band(pr, x, w, bias, y, band_of(pr, item)); });
            return CONV4J_OK;
        case CONV4J_PATH_DEPTHWISE:
            parallel_items(pr.work_items, pr.threads, [&](int64_t worker, int64_t item) {
                depthwise_item(pr, x, w, bias, y, item, workspace + worker * pr.workspace_per_thread);
            });
            return CONV4J_OK;
        case CONV4J_PATH_DIRECT_BLOCKED:
            // packed: the constant-weight plan's filters (conv4j_prepare_weights), or null to pack them per band
            parallel_items(band_items, pr.threads, [&](int64_t worker, int64_t item) {
                const Band b = band_of(pr, item);
                direct_blocked_rows(pr, x, w, wt, bias, b.n, b.g, b.p0, b.rows, y,
                                    workspace + worker * pr.workspace_per_thread);
            });
            return CONV4J_OK;
        case CONV4J_PATH_DIRECT_SMALL_REDUCTION:
            parallel_items(band_items, pr.threads,
                           [&](int64_t, int64_t item) { small_reduction_band(pr, x, w, wt, bias, y, band_of(pr, item)); });
            return CONV4J_OK;
        default: return CONV4J_UNKNOWN_PATH;
    }
}

}  // namespace
}  // namespace conv4j

extern "C" int conv4j_conv2d_forward_separable(const conv4j_problem *prob, const float *x, const float *w,
                                               const float *vertical_factors, const float *horizontal_factors,
                                               const int32_t *vertical, const float *bias, float *y,
                                               float *workspace) {
    using namespace conv4j;
    const conv4j_problem &pr = *prob;
    if (pr.path != CONV4J_PATH_SEPARABLE) return CONV4J_UNKNOWN_PATH;
    parallel_items(pr.work_items, pr.threads, [&](int64_t worker, int64_t item) {
        const Band b = band_of(pr, item);
        separable_rows(pr, x + (b.n * pr.c + b.g) * pr.h * pr.w, w, vertical_factors, horizontal_factors, vertical,
                       bias, b.g, b.p0, b.rows, y + b.n * pr.k * pr.p * pr.q,
                       workspace + worker * pr.workspace_per_thread);
    });
    return CONV4J_OK;
}

extern "C" int conv4j_conv2d_forward(const conv4j_problem *prob, const float *x, const float *w,
                                     const float *bias, float *y, float *workspace) {
    return conv4j::forward(*prob, x, w, nullptr, bias, y, workspace);
}

// prepared[0, K*reduction) = w, and on the small-reduction path prepared[K*reduction + g*Kg*reduction ...) holds
// group g's filters transposed, which that path would otherwise build per band and call; on the direct blocked
// path prepared is the packed filters alone (direct_blocked.h), groups * Kp * reduction floats.
extern "C" void conv4j_prepare_weights(const conv4j_problem *prob, const float *w, float *prepared) {
    using namespace conv4j;
    const conv4j_problem &pr = *prob;
    if (pr.path == CONV4J_PATH_DIRECT_BLOCKED) {
        // block by block over the problem's threads: per call (a per-call plan packs every call) one thread packing
        // vgg16-conv3's 2.4 MB of filters left the other idle
        parallel_items(direct_blocked_pack_items(pr), pr.threads,
                       [&](int64_t, int64_t item) { direct_blocked_pack(pr, w, item, prepared); });
        return;
    }
    const int64_t elements = pr.k * pr.reduction;
    std::copy(w, w + elements, prepared);
    if (pr.path == CONV4J_PATH_DIRECT_SMALL_REDUCTION) {
        const int64_t group_weights = pr.k_per_group * pr.reduction;
        for (int64_t g = 0; g < pr.groups; ++g) {
            transpose_filters(pr, w + g * group_weights, pr.k_per_group, prepared + elements + g * group_weights);
        }
    }
}

extern "C" int conv4j_conv2d_forward_prepared(const conv4j_problem *prob, const float *x, const float *prepared,
                                              const float *bias, float *y, float *workspace) {
    const conv4j_problem &pr = *prob;
    if (pr.path == CONV4J_PATH_DIRECT_BLOCKED) return conv4j::forward(pr, x, nullptr, prepared, bias, y, workspace);
    const float *wt = pr.path == CONV4J_PATH_DIRECT_SMALL_REDUCTION ? prepared + pr.k * pr.reduction : nullptr;
    return conv4j::forward(pr, x, prepared, wt, bias, y, workspace);
}
