#ifndef CONV4J_DEPTHWISE_H
#define CONV4J_DEPTHWISE_H

#include "conv4j.h"

namespace conv4j {

/*
 * One channel of a depthwise convolution (groups == C == K), no GEMM:
 * y[p][q] = act(bias + (epi_sum ? y[p][q] : 0) + sum_{r,s} w[r][s] * xpad[p*sh + r'*dh][q*sw + s'*dw])
 * (xpad per the border, act the problem's activation)
 * x is the channel's H x W plane, w its R x S filter, y its P x Q plane.
 */
void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y);

}  // namespace conv4j

#endif
