#ifndef CONV4J_DIRECT_SMALL_H
#define CONV4J_DIRECT_SMALL_H

#include "conv4j.h"

namespace conv4j {

/*
 * Output rows [p0, p0 + rows) of the kn output channels of one image and group, by a direct loop nest
 * (no im2col, no GEMM) for small reductions (C/G*R*S <= CONV4J_DIRECT_SMALL_MAX_REDUCTION), where a
 * GEMM with M = K/G and K = C/G*R*S is too small for sgemm to reach its speed:
 * y[k][p][q] = act((epi_sum ? y[k][p][q] : 0) + bias[k] + sum_{c,r,s} w[k][c][r][s] * xpad[c][p*sh + r'*dh][q*sw + s'*dw])
 * summed in that order (c, r, s) on every path. x: the group's C/G input planes (H x W), w: its kn
 * filters (KCRS), wt: the same transposed (transpose_filters) or null, bias: its kn biases or null, y: its kn
 * output planes (P x Q).
 */
void direct_small_rows(const conv4j_problem &pr, const float *x, const float *w, const float *wt, const float *bias,
                       int64_t kn, int64_t p0, int64_t rows, float *y);

/*
 * The group's kn filters transposed, the layout the border columns read (the channels of one tap adjacent):
 * wt[t*kn + k] = w[k*reduction + t], t = (c*R + r)*S + s < reduction. direct_small_rows takes it built
 * once (a constant-weight plan) or, given null, builds it on its stack per band.
 */
void transpose_filters(const conv4j_problem &pr, const float *w, int64_t kn, float *wt);

}  // namespace conv4j

#endif
