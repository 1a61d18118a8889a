package org.conv4j.backend;

import org.conv4j.Border;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Mode;

/**
 * The oracle: a direct loop nest over the definition in {@link Conv2dProblem}, accumulating every
 * output's dot product, bias and (with a sum epilogue) the previous output in double, rounding once to
 * float, then applying the activation. Positions outside the input read what {@link Border#index} says. Also yields, per output, the
 * exact-ish double value and {@code sum |x*w| + |bias|}, which the error bound of
 * {@link org.conv4j.Fidelity} needs. Written for clarity, not speed. Thread-safe (stateless).
 */
public final class ReferenceDirect {
    private ReferenceDirect() {
    }

    /**
     * Computes the problem on heap arrays (layouts as in {@link Conv2dProblem}).
     *
     * @param yIn    the output's previous content, read when the epilogue sums (else ignored; may be null)
     * @param y      receives the float result (length N*K*P*Q); may be the same array as yIn
     * @param exact  if non-null, receives the double result before rounding (activation applied)
     * @param absSum if non-null, receives {@code sum |x*w| (+ |bias|) (+ |yIn|)} per output
     */
    public static void compute(Conv2dProblem pr, float[] x, float[] w, float[] bias, float[] yIn, float[] y,
                               double[] exact, double[] absSum) {
        final int C = (int) pr.c(), H = (int) pr.h(), W = (int) pr.w(), K = (int) pr.k();
        final int R = (int) pr.r(), S = (int) pr.s(), P = (int) pr.p(), Q = (int) pr.q();
        final int cg = (int) pr.cPerGroup(), kg = (int) pr.kPerGroup();
        final int sh = (int) pr.strideH(), sw = (int) pr.strideW();
        final int pt = (int) pr.padTop(), pl = (int) pr.padLeft();
        final int dh = (int) pr.dilationH(), dw = (int) pr.dilationW();
        final boolean flip = pr.mode() == Mode.CONVOLUTION;
        final Border border = pr.border();
        final Epilogue epi = pr.epilogue();
        final boolean sumIn = epi.sum();
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
                                final int ih = (int) border.index(p * sh - pt + r * dh, H);
                                for (int s = 0; s < S; s++) {
                                    final int iw = (int) border.index(q * sw - pl + s * dw, W);
                                    // A zero border is a real zero times the weight, as in PyTorch: 0 * Inf = NaN.
                                    final double xv = ih >= 0 && iw >= 0
                                            ? x[((n * C + c0 + c) * H + ih) * W + iw] : 0.0;
                                    final int wr = flip ? R - 1 - r : r, ws = flip ? S - 1 - s : s;
                                    final double wv = w[((k * cg + c) * R + wr) * S + ws];
                                    sum += xv * wv;
                                    mag += Math.abs(xv * wv);
                                }
                            }
                        }
                        if (sumIn) {
                            sum += yIn[out];
                            mag += Math.abs((double) yIn[out]);
                        }
                        y[out] = epi.activate((float) sum);
                        if (exact != null) exact[out] = epi.activate(sum);
                        if (absSum != null) absSum[out] = mag;
                    }
                }
            }
        }
    }
}
