#ifndef CONV4J_EPILOGUE_H
#define CONV4J_EPILOGUE_H

#include "conv4j.h"

namespace conv4j {

/*
 * In place on a block of rows x cols outputs (row stride ldc), while it is still in cache:
 * y[i][j] = act(y[i][j] + bias[i]); bias may be null. (The residual sum happens earlier: GEMM beta = 1.)
 */
void apply_epilogue(const conv4j_problem &pr, const float *bias, int64_t rows, int64_t cols, int64_t ldc,
                    float *y);

/* The activations, written so that NaN passes through unchanged, as in PyTorch. */
inline float relu(float v) { return v < 0.0f ? 0.0f : v; }
inline float clamp(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* True when apply_epilogue would change nothing. */
inline bool epilogue_is_identity(const conv4j_problem &pr) {
    return !pr.has_bias && pr.activation == CONV4J_ACT_NONE;
}

}  // namespace conv4j

#endif
