#include "epilogue.h"

namespace conv4j {

namespace {

template <typename Act>
void bias_then(const float *bias, int64_t rows, int64_t cols, int64_t ldc, float *y, Act act) {
    for (int64_t i = 0; i < rows; ++i) {
        const float b = bias ? bias[i] : 0.0f;
        float *yi = y + i * ldc;
        if (bias) {
            for (int64_t j = 0; j < cols; ++j) yi[j] = act(yi[j] + b);
        } else {
            for (int64_t j = 0; j < cols; ++j) yi[j] = act(yi[j]);
        }
    }
}

}  // namespace

void apply_epilogue(const conv4j_problem &pr, const float *bias, int64_t rows, int64_t cols, int64_t ldc,
                    float *y) {
    switch (pr.activation) {
        case CONV4J_ACT_RELU:
            bias_then(bias, rows, cols, ldc, y, [](float v) { relu(v); return v; });
            break;
        case CONV4J_ACT_CLAMP: {
            const float lo = pr.clamp_lo, hi = pr.clamp_hi;
            bias_then(bias, rows, cols, ldc, y, [lo, hi](float v) { clamp(v, lo, hi); return v; });
            break;
        }
        default:
            if (bias) bias_then(bias, rows, cols, ldc, y, [](float v) { return v; });
            break;
    }
}

}  // namespace conv4j
