#ifndef CONV4J_DEPTHWISE_H
#define CONV4J_DEPTHWISE_H

#include "conv4j.h"

namespace conv4j {

/*
 * One output channel of a depthwise convolution (C/groups == 1: groups == C, K == C * m for a depth
 * multiplier m, output channel k reading input channel k / m), no GEMM:
 * y[p][q] = act(bias + (epi_sum ? y[p][q] : 0) + sum_{r,s} w[r][s] * xpad[p*sh + r'*dh][q*sw + s'*dw])
 * (xpad per the border, act the problem's activation), summed in the order r, s.
 * x is the input channel's H x W plane, w the output channel's R x S filter, y its P x Q plane.
 *
 * Output rows are computed in blocks of up to 4 (2 on 8-lane and 4-lane vector units), each vector loaded from a
 * padded row feeding every output row of the block that reads it. The padded rows are built once each in a ring
 * of L = (R-1)*dh + 1 + 3*sh slots (padded row i in slot i mod L: the rows a block reads span at most L, so they
 * never collide), the border resolved there and each slot
 * split into its sw column phases, so that tap s reads phase (s'*dw) mod sw contiguously from index
 * q + (s'*dw) / sw:
 *   ring[(i mod L)*sw*PW + f*PW + j] = xpad[i][j*sw + f],   PW = round16(Q) + (S-1)*dw/sw
 * (0 past the last column a tap reads). Every output column is then a vector lane; a row entirely in a zero
 * border is skipped (border.h). workspace: depthwise_workspace(pr) floats.
 */
void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y, float *workspace);

/* Floats of depthwise_plane's ring, L * sw * PW (above); org.conv4j.Algorithm#depthwiseWorkspace mirrors it. */
int64_t depthwise_workspace(const conv4j_problem &pr);

}  // namespace conv4j

#endif
