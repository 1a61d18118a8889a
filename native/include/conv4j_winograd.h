/*
 * conv4j native core, Winograd F(m x m, 3 x 3) for m = 2 and 4 (org.conv4j.Winograd describes the algorithm
 * and its rigorous error bound; Java binds this header through org.conv4j.jni.Conv4jNative). Only for problems
 * the Java side accepts: 3x3, stride 1, dilation 1. Like conv4j.h, this code trusts the descriptor.
 *
 * Fields of conv4j_problem as this path reads them:
 *   tile_rows             tiles per block T_b: the GEMMs' N (V and M have rows of T_b rounded up to a multiple
 *                         of 16 floats, Tr below); tiles of all images are
 *                         numbered n*TH*TW + th*TW + tw, TH = ceil(P/m), TW = ceil(Q/m), and blocks run across
 *                         images so that small images still give GEMMs of T_b columns
 *   workspace_per_thread  alpha^2 * ((C/G + Kp) * Tr + 2 * CONV4J_WINOGRAD_MATRIX_PAD) floats (alpha = m + 2, Kp
 *                         below): V then M of one block, each alpha^2 matrices of C/G (Kp) rows by Tr, with
 *                         CONV4J_WINOGRAD_MATRIX_PAD floats after each
 *   threads               participants; work items are (group, block of tiles)
 */
#ifndef CONV4J_WINOGRAD_H
#define CONV4J_WINOGRAD_H

#include "conv4j.h"

/* Output channels per block of the packed weights (and per call of the GEMM kernel). */
#define CONV4J_WINOGRAD_K_BLOCK 8

/* Floats after each of the alpha^2 matrices of V and of M in the workspace (winograd.cpp says why). */
#define CONV4J_WINOGRAD_MATRIX_PAD 16

#ifdef __cplusplus
extern "C" {
#endif

/*
 * u[((g*alpha^2 + xi)*Kp + k/KB*KB)*(C/G) + c*KB + k%KB] = fl((G f G^T)[xi]) for the 3x3 filter f of output
 * channel g*K/G + k and group channel c (rotated 180 degrees when prob->flip), computed in double and rounded
 * once; KB = CONV4J_WINOGRAD_K_BLOCK, Kp = K/G rounded up to a multiple of KB, and the rows k >= K/G zero:
 * G * alpha^2 * Kp * C/G floats. Reads w (KCRS), writes u.
 */
void conv4j_winograd_transform_weights(const conv4j_problem *prob, int32_t m, const float *w, float *u);

/*
 * y as conv4j_conv2d_forward defines it, by Winograd F(m x m, 3 x 3) over weights transformed by
 * conv4j_winograd_transform_weights: per block, V = B^T d B (input transform), alpha^2 GEMMs
 * M[xi] (Kp x T_b) = U[g][xi] (Kp x C/G) * V[xi] (C/G x T_b) by the library's own vector kernel, then y = act(A^T M A + bias (+ y)) (output
 * transform with the epilogue fused). workspace: threads * workspace_per_thread floats. Returns CONV4J_OK.
 */
int conv4j_winograd_forward(const conv4j_problem *prob, int32_t m, const float *x, const float *u,
                            const float *bias, float *y, float *workspace);

#ifdef __cplusplus
}
#endif

#endif
