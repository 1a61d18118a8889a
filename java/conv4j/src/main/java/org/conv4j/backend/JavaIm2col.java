package org.conv4j.backend;

import java.nio.FloatBuffer;
import org.conv4j.Border;
import org.conv4j.Conv2dProblem;
import org.conv4j.Mode;

/**
 * The Java backend's memory rearrangements: im2col of a band of output rows from off-heap input into
 * heap rows, the plain band copy of the direct (1x1) path, and the single place where an input index
 * outside the image is resolved ({@link #source(Border, int, int)}) by the problem's {@link Border}.
 * Stateless; each caller passes its own scratch row.
 */
final class JavaIm2col {
    private JavaIm2col() {
    }

    /**
     * Where input index {@code i} of an axis of {@code extent} elements reads from: {@code i} itself
     * inside {@code [0, extent)}, outside what the border says ({@code -1}: a zero). Every out-of-image
     * index of rows and columns, in im2col and in the depthwise loop nest, goes through here.
     */
    static int source(Border border, int i, int extent) {
        return i >= 0 && i < extent ? i : (int) border.index(i, extent);
    }

    /**
     * Band im2col for one image and group, output rows {@code [p0, p0 + rows)}:
     * <pre>
     *   col[(c*R + r)*S + s][(p - p0)*Q + q] = x[xBase + c*H*W + ih*W + iw],
     *   ih = p*sh - pt + r'*dh,  iw = q*sw - pl + s'*dw,
     * </pre>
     * {@code r' = R-1-r, s' = S-1-s} in {@link Mode#CONVOLUTION}, else {@code r, s}; an index outside the
     * image reads {@link #source}. Each input row is fetched once from off-heap memory into {@code rowBuf}
     * (length >= W) and gathered from there for all S taps.
     */
    static void band(Conv2dProblem pr, FloatBuffer x, int xBase, int p0, int rows, float[][] col, float[] rowBuf) {
        final int H = (int) pr.h(), W = (int) pr.w(), Q = (int) pr.q(), R = (int) pr.r(), S = (int) pr.s();
        final int sh = (int) pr.strideH(), sw = (int) pr.strideW(), dh = (int) pr.dilationH(), dw = (int) pr.dilationW();
        final int pt = (int) pr.padTop(), pl = (int) pr.padLeft(), cg = (int) pr.cPerGroup();
        final boolean flip = pr.mode() == Mode.CONVOLUTION;
        for (int c = 0; c < cg; c++) {
            final int plane = xBase + c * H * W;
            for (int r = 0; r < R; r++) {
                final int rr = flip ? R - 1 - r : r;
                final int firstRow = (c * R + r) * S;
                for (int p = p0; p < p0 + rows; p++) {
                    final int dst = (p - p0) * Q;
                    final int ih = source(pr.border(), p * sh - pt + rr * dh, H);
                    if (ih < 0) {
                        for (int s = 0; s < S; s++) java.util.Arrays.fill(col[firstRow + s], dst, dst + Q, 0f);
                        continue;
                    }
                    x.get(plane + ih * W, rowBuf, 0, W);
                    for (int s = 0; s < S; s++) {
                        final int ss = flip ? S - 1 - s : s;
                        gatherRow(pr.border(), rowBuf, W, ss * dw - pl, sw, col[firstRow + s], dst, Q);
                    }
                }
            }
        }
    }

    /** {@code dst[d + q] = row[q*sw + off]} for q < Q, through {@link #source} outside {@code [0, W)}. */
    private static void gatherRow(Border border, float[] row, int W, int off, int sw, float[] dst, int d, int Q) {
        final int qLo = insideFrom(off, sw, Q), qHi = insideTo(off, sw, W, Q);
        for (int q = 0; q < qLo; q++) dst[d + q] = at(border, row, 0, q * sw + off, W);
        if (sw == 1 && qHi > qLo) {
            System.arraycopy(row, qLo + off, dst, d + qLo, qHi - qLo);
        } else {
            for (int q = qLo; q < qHi; q++) dst[d + q] = row[q * sw + off];
        }
        for (int q = qHi; q < Q; q++) dst[d + q] = at(border, row, 0, q * sw + off, W);
    }

    /** {@code [insideFrom, insideTo)}: the q < Q whose column {@code q*sw + off} lies in {@code [0, W)}. */
    static int insideFrom(int off, int sw, int Q) {
        return off >= 0 ? 0 : Math.min(Q, (-off + sw - 1) / sw);
    }

    static int insideTo(int off, int sw, int W, int Q) {
        final int lo = insideFrom(off, sw, Q);
        return W - off <= 0 ? lo : Math.max(lo, Math.min(Q, (W - off + sw - 1) / sw));
    }

    /** Column {@code iw} of the row starting at {@code x[rowStart]}, {@link #source} deciding outside it. */
    static float at(Border border, float[] x, int rowStart, int iw, int W) {
        final int src = source(border, iw, W);
        return src < 0 ? 0f : x[rowStart + src];
    }

    /**
     * The direct path (1x1, stride 1, unpadded: P = H, Q = W), where the input is the column matrix:
     * {@code col[c][j] = x[xBase + c*H*W + p0*Q + j]} for {@code j < rows*Q}: one bulk copy per channel.
     */
    static void directBand(Conv2dProblem pr, FloatBuffer x, int xBase, int p0, int rows, float[][] col) {
        final int hw = (int) (pr.h() * pr.w()), q = (int) pr.q(), cg = (int) pr.cPerGroup();
        for (int c = 0; c < cg; c++) x.get(xBase + c * hw + p0 * q, col[c], 0, rows * q);
    }
}
