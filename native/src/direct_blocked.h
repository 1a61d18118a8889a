#ifndef CONV4J_DIRECT_BLOCKED_H
#define CONV4J_DIRECT_BLOCKED_H

#include <cstdint>

#include "conv4j.h"

namespace conv4j {

/*
 * Register-blocked direct convolution without im2col (CONV4J_PATH_DIRECT_BLOCKED): any stride, dilation,
 * padding, border and groups, R*S <= CONV4J_DIRECT_BLOCKED_MAX_TAPS.
 *
 * A band of output rows [p0, p0 + rows) of one image and group reads its input window, copied once per band
 * into the worker's workspace as phase planes per channel, each of PR x WQ floats (row-major):
 *   plane(c, a, b)[i][j] = xpad[c][p0*sh + i*sh + a][j*sw + b]
 * for the row phases a in {(r*dh) % sh : r < R} and column phases b in {(s*dw) % sw : s < S} that taps read,
 *   PR = rows + ((R-1)*dh) / sh,  WQ = Q + ((S-1)*dw) / sw,
 * with xpad the input extended by pad_top/pad_left per border (border.h). Then output (p0 + i, j) and tap
 * (r, s) read plane(c, (r*dh) % sh, (s*dw) % sw) at flat index i*WQ + j + off(r, s), off = ((r*dh)/sh)*WQ +
 * (s*dw)/sw: every tap is a shift of the same flat index o = i*WQ + j, so the band is a GEMM of the packed
 * filters (KB x Cg*R*S) by R*S shifted views (Cg*R*S x rows*WQ) whose columns j >= Q are computed and dropped
 * (but for the last row's, which are not computed: (rows - 1)*WQ + Q columns).
 * A 1x1, stride-1, unpadded problem reads its input where it lies (its band is its only plane, WQ = Q = W), but for
 * a last partial vector of columns, copied into the workspace with zeros after it.
 * The micro-kernel keeps KR output channels (KB; 4 on AVX2, two passes a block) x TV vectors of o in registers over
 * the whole reduction, summed in the order c, then r, then s, one multiply-add per term (fused where the body has
 * FMA; any order meets the classical bound).
 *
 * Packed filters, KB = CONV4J_DIRECT_BLOCKED_K_BLOCK output channels a block, zero past K/G:
 *   packed[((g*Kp + kb)*Cg + c)*R*S*KB + (r*S + s)*KB + j] = w'[g*Kg + kb + j][c][r][s],  Kp = ceil(Kg/KB)*KB
 * with w' the filter as applied to xpad (rotated 180 degrees when flip).
 */

/*
 * With packed filters on AVX-512, blocks of 32 output channels may run a transposed micro-kernel instead (channels
 * across the lanes, columns of one output row in accumulators; direct_blocked.cpp), the same products in the same
 * order, so the same bits. -1 (the default): over reductions of 256 terms and more; 0: never; 1: wherever it can
 * (tests and measurements set it before they run problems).
 */
extern int direct_blocked_transposed;

/* Floats of the packed filters: groups * Kp * Cg * R * S. */
int64_t direct_blocked_packed_elements(const conv4j_problem &pr);

/*
 * Floats of one worker's workspace for bands of tile_rows rows (what org.conv4j.Algorithm#DIRECT_BLOCKED
 * declares): the phase planes Cg*phases*PS + round16((S-1)*dw/sw) + 16 with PS = round16(PR*WQ), phases the
 * count of row phases times the count of column phases, the
 * output stage KB*round16(rows*WQ), and one block of filters packed per call, round16(KB*Cg*R*S) (each a
 * multiple of 16 floats, so that workspaces laid end to end all start on 64 bytes when the first does).
 */
int64_t direct_blocked_workspace(const conv4j_problem &pr);

/* Blocks of the packed filters: groups * Kp / KB, item g*(Kp/KB) + kb/KB the filters kb .. kb + KB - 1 of group g. */
int64_t direct_blocked_pack_items(const conv4j_problem &pr);

/* Block `item` of the packed filters above, from w (KCRS), into its place in packed (blocks are independent). */
void direct_blocked_pack(const conv4j_problem &pr, const float *w, int64_t item, float *packed);

/*
 * Output rows [p0, p0 + rows) of image n, group g: every element of y there, with the epilogue
 * y = act(sum + bias + (epi_sum ? y : 0)). packed: the packed filters, or null to pack each block per band from
 * w (KCRS) into the workspace. ws: the worker's direct_blocked_workspace(pr) floats.
 */
void direct_blocked_rows(const conv4j_problem &pr, const float *x, const float *w, const float *packed,
                         const float *bias, int64_t n, int64_t g, int64_t p0, int64_t rows, float *y, float *ws);

}  // namespace conv4j

#endif
