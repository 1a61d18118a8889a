#ifndef CONV4J_SEPARABLE_H
#define CONV4J_SEPARABLE_H

#include "conv4j.h"

namespace conv4j {

/*
 * Output rows [p0, p0 + rows) of the K/G output planes of image n, group g of a problem with C/groups == 1,
 * each filter either separable or dense (conv4j_conv2d_forward_separable in conv4j.h):
 *   t_i[p][j] = sum_r u_i[r] * xpad[p*sh + r*dh][j]                       (vertical pass, padded columns j)
 *   y[k][p][q] = act(bias[k] + (epi_sum ? y : 0) + sum_s v_k[s] * t_{vertical[k]}[p][q*sw + s*dw])
 * for the filters with vertical[k] >= 0 (filters of one group with the same vertical index share t), and
 * depthwise_plane's loop nest over w[k] for the others. x: the group's input plane; y: the image's output.
 * workspace: depthwise_workspace(pr) floats for the dense filters' ring (depthwise.h), then k_per_group rows of
 * (workspace_per_thread - that) / k_per_group floats.
 */
void separable_rows(const conv4j_problem &pr, const float *x, const float *w, const float *vertical_factors,
                    const float *horizontal_factors, const int32_t *vertical, const float *bias, int64_t g,
                    int64_t p0, int64_t rows, float *y, float *workspace);

}  // namespace conv4j

#endif
