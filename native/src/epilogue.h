#ifndef CONV4J_EPILOGUE_H
#define CONV4J_EPILOGUE_H

#include "conv4j.h"
#include "multiversion.h"

namespace conv4j {

/*
 * In place on a block of rows x cols outputs (row stride ldc), while it is still in cache:
 * y[i][j] = act(y[i][j] + bias[i]); bias may be null. (The residual sum happens earlier: GEMM beta = 1.)
 */
void apply_epilogue(const conv4j_problem &pr, const float *bias, int64_t rows, int64_t cols, int64_t ldc,
                    float *y);

/*
 * The activations, in place on a float or lane by lane on a GCC vector of floats, written so that NaN
 * passes through unchanged, as in PyTorch. In place: a vector passed by value to a function compiled
 * without its vector unit would change the calling convention.
 */
template <typename T>
CONV4J_INLINE void relu(T &v) {
    const T zero = T{};
    v = v < zero ? zero : v;
}

template <typename T>
CONV4J_INLINE void clamp(T &v, float lo, float hi) {
    const T l = lo - T{}, h = hi - T{};  // in every lane, exactly: T{} + lo would turn lo = -0 into +0
    v = v < l ? l : (v > h ? h : v);
}

/* The problem's activation. */
template <typename T>
CONV4J_INLINE void activate(const conv4j_problem &pr, T &v) {
    switch (pr.activation) {
        case CONV4J_ACT_RELU: relu(v); break;
        case CONV4J_ACT_CLAMP: clamp(v, pr.clamp_lo, pr.clamp_hi); break;
        default: break;
    }
}

/* True when apply_epilogue would change nothing. */
inline bool epilogue_is_identity(const conv4j_problem &pr) {
    return !pr.has_bias && pr.activation == CONV4J_ACT_NONE;
}

}  // namespace conv4j

#endif
