package org.conv4j.backend;

import org.conv4j.Conv2dProblem;
import org.conv4j.Mode;

/**
 * The oracle: a direct loop nest over the definition in {@link Conv2dProblem}, accumulating every
 * output's dot product (and bias) in double and rounding once to float. Also yields, per output, the
 * exact-ish double value and {@code sum |x*w| + |bias|}, which the error bound of
 * {@link org.conv4j.Fidelity} needs. Written for clarity, not speed. Thread-safe (stateless).
 */
public final class ReferenceDirect {
    private ReferenceDirect() {
    }

    /**
     * Computes the problem on heap arrays (layouts as in {@link Conv2dProblem}).
     *
     * @param y      receives the float result (length N*K*P*Q)
     * @param exact  if non-null, receives the double result before rounding
     * @param absSum if non-null, receives {@code sum |x*w| (+ |bias|)} per output
     */
    public static void compute(Conv2dProblem pr, float[] x, float[] w, float[] bias, float[] y,
                               double[] exact, double[] absSum) {
        final int C = (int) pr.c(), H = (int) pr.h(), W = (int) pr.w(), K = (int) pr.k();
        final int R = (int) pr.r(), S = (int) pr.s(), P = (int) pr.p(), Q = (int) pr.q();
        final int cg = (int) pr.cPerGroup(), kg = (int) pr.kPerGroup();
        final int sh = (int) pr.strideH(), sw = (int) pr.strideW();
        final int pt = (int) pr.padTop(), pl = (int) pr.padLeft();
        final int dh = (int) pr.dilationH(), dw = (int) pr.dilationW();
        final boolean flip = pr.mode() == Mode.CONVOLUTION;
        int out = 0;
        for (int n = 0; n < pr.n(); n++) {
            for (int k = 0; k < K; k++) {
                final int c0 = (k / kg) * cg;
                for (int p = 0; p < P; p++) {
                    for (int q = 0; q < Q; q++, out++) {
                        double sum = bias == null ? 0.0 : bias[k];
                        double mag = bias == null ? 0.0 : Math.abs((double) bias[k]);
                        for (int c = 0; c < cg; c++) {
                            for (int r = 0; r < R; r++) {
                                final int ih = p * sh - pt + r * dh;
                                final boolean rowInside = ih >= 0 && ih < H;
                                for (int s = 0; s < S; s++) {
                                    final int iw = q * sw - pl + s * dw;
                                    // Padding is a real zero times the weight, as in PyTorch: 0 * Inf = NaN.
                                    final double xv = rowInside && iw >= 0 && iw < W
                                            ? x[((n * C + c0 + c) * H + ih) * W + iw] : 0.0;
                                    final int wr = flip ? R - 1 - r : r, ws = flip ? S - 1 - s : s;
                                    final double wv = w[((k * cg + c) * R + wr) * S + ws];
                                    sum += xv * wv;
                                    mag += Math.abs(xv * wv);
                                }
                            }
                        }
                        y[out] = (float) sum;
                        if (exact != null) exact[out] = sum;
                        if (absSum != null) absSum[out] = mag;
                    }
                }
            }
        }
    }
}
