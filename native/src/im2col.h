#ifndef CONV4J_IM2COL_H
#define CONV4J_IM2COL_H

#include "conv4j.h"

namespace conv4j {

/*
 * Columns of output rows [p0, p0 + rows) of one image and one group.
 * col[(c*R + r)*S + s][(p - p0)*Q + q] = x[c][p*sh - pt + r'*dh][q*sw - pl + s'*dw]  (0 outside)
 * with r' = flip ? R-1-r : r and s' likewise, x points at the group's first channel, and an index
 * outside the input mapped by border_index (border.h): a zero border gives 0.
 */
void im2col_rows(const conv4j_problem &pr, const float *x, int64_t p0, int64_t rows, float *col);

}  // namespace conv4j

#endif
