package org.conv4j.backend;

import java.util.Arrays;
import org.conv4j.Conv2dProblem;
import org.conv4j.Mode;

/**
 * The Java backend's depthwise path (C/groups = 1): a direct loop nest over one output plane, no GEMM.
 * Stateless.
 */
final class JavaDepthwise {
    private JavaDepthwise() {
    }

    /**
     * {@code y[p][q] = sum_{r,s} w[wBase + r*S + s] * x[p*sh - pt + r'*dh][q*sw - pl + s'*dw]} over one
     * heap input plane x (H*W) into one heap output plane y (P*Q, overwritten), bias not added;
     * {@code r', s'} flipped in {@link Mode#CONVOLUTION}; indices outside the plane read
     * {@link JavaIm2col#source}. Output row by output row (it stays in L1), one tap at a time, so the
     * inner loop is an axpy the JIT vectorises (for stride 1). Taps over padding still add {@code w * 0}, as the reference
     * does (so an infinite weight meets padding as NaN).
     */
    static void plane(Conv2dProblem pr, float[] x, float[] w, int wBase, float[] y) {
        final int H = (int) pr.h(), W = (int) pr.w(), P = (int) pr.p(), Q = (int) pr.q();
        final int R = (int) pr.r(), S = (int) pr.s(), sh = (int) pr.strideH(), sw = (int) pr.strideW();
        final int dh = (int) pr.dilationH(), dw = (int) pr.dilationW(), pt = (int) pr.padTop(), pl = (int) pr.padLeft();
        final boolean flip = pr.mode() == Mode.CONVOLUTION;
        Arrays.fill(y, 0, P * Q, 0f);
        for (int p = 0; p < P; p++) {
            final int d = p * Q;
            for (int r = 0; r < R; r++) {
                final int rr = flip ? R - 1 - r : r;
                final int ih = JavaIm2col.source(pr.border(), p * sh - pt + rr * dh, H);
                for (int s = 0; s < S; s++) {
                    final int ss = flip ? S - 1 - s : s;
                    final float wt = w[wBase + r * S + s];
                    if (ih < 0) {
                        for (int q = 0; q < Q; q++) y[d + q] += wt * 0f;
                        continue;
                    }
                    final int off = ss * dw - pl, src = ih * W + off;
                    final int qLo = JavaIm2col.insideFrom(off, sw, Q), qHi = JavaIm2col.insideTo(off, sw, W, Q);
                    for (int q = 0; q < qLo; q++) y[d + q] += wt * JavaIm2col.at(pr.border(), x, ih * W, q * sw + off, W);
                    if (sw == 1) {
                        for (int q = qLo; q < qHi; q++) y[d + q] += wt * x[src + q];
                    } else {
                        for (int q = qLo; q < qHi; q++) y[d + q] += wt * x[src + q * sw];
                    }
                    for (int q = qHi; q < Q; q++) y[d + q] += wt * JavaIm2col.at(pr.border(), x, ih * W, q * sw + off, W);
                }
            }
        }
    }
}
