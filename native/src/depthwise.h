#ifndef CONV4J_DEPTHWISE_H
#define CONV4J_DEPTHWISE_H

#include "conv4j.h"

namespace conv4j {

/*
 * One output channel of a depthwise convolution (C/groups == 1: groups == C, K == C * m for a depth
 * multiplier m, output channel k reading input channel k / m), no GEMM:
 * y[p][q] = act(bias + (epi_sum ? y[p][q] : 0) + sum_{r,s} w[r][s] * xpad[p*sh + r'*dh][q*sw + s'*dw])
 * (xpad per the border, act the problem's activation)
 * x is the input channel's H x W plane, w the output channel's R x S filter, y its P x Q plane.
 */
void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y);

}  // namespace conv4j

#endif
