package org.conv4j.backend;

import java.nio.FloatBuffer;
import org.conv4j.Border;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Mode;

/**
 * The oracle: a direct loop nest over the definition in {@link Conv2dProblem}, accumulating every
 * output's dot product, bias and (with a sum epilogue) the previous output in double, rounding once to
 * float, then applying the activation. Positions outside the input read what {@link Border#index} says.
 * Also yields, per output, the exact-ish double value and {@code sum |x*w| + |bias|}, which the error
 * bound of {@link org.conv4j.Fidelity} needs. All index arithmetic is 64-bit, so any valid problem
 * (pads, strides, dilations beyond the int range included) is computed as defined.
 * Written for clarity, not speed. Thread-safe (stateless).
 *
 * <p>{@link #dot} is the one definition of the arithmetic: {@link #compute} runs it for every output,
 * {@link org.conv4j.CheckedBackend} for a sample of outputs read straight from off-heap tensors.
 */
public final class ReferenceDirect {
    private ReferenceDirect() {
    }

    /** Read access to a flat float array, on the heap or off it; {@code i} is a flat row-major index. */
    @FunctionalInterface
    public interface Source {
        float get(long i);

        static Source of(float[] a) {
            return i -> a[(int) i];
        }

        /** Reads {@code b} by absolute index (its position is ignored); no copy is made. */
        static Source of(FloatBuffer b) {
            return i -> b.get((int) i);
        }
    }

    /**
     * Output {@code (n, k, p, q)} before the epilogue's sum and activation:
     * {@code bias[k] + sum_{c,r,s} w[k][c][r'][s'] * xpad[n][g*C/G + c][p*sh + r*dh][q*sw + s*dw]}
     * accumulated in double (products of floats are exact in double).
     *
     * @param bias   null when the problem has none
     * @param absSum if non-null, {@code absSum[0]} receives {@code sum |x*w| + |bias|}
     */
    public static double dot(Conv2dProblem pr, Source x, Source w, Source bias, long n, long k, long p, long q,
                             double[] absSum) {
        final long C = pr.c(), H = pr.h(), W = pr.w(), R = pr.r(), S = pr.s(), cg = pr.cPerGroup();
        final boolean flip = pr.mode() == Mode.CONVOLUTION;
        final Border border = pr.border();
        final long c0 = (k / pr.kPerGroup()) * cg;
        double sum = bias == null ? 0.0 : bias.get(k);
        double mag = Math.abs(sum);
        // Taps outer, channels inner: the border is resolved once per tap, not once per channel.
        for (long r = 0; r < R; r++) {
            final long ih = border.index(p * pr.strideH() - pr.padTop() + r * pr.dilationH(), H);
            final long wr = flip ? R - 1 - r : r;
            for (long s = 0; s < S; s++) {
                final long iw = border.index(q * pr.strideW() - pr.padLeft() + s * pr.dilationW(), W);
                final long ws = flip ? S - 1 - s : s;
                final boolean inside = ih >= 0 && iw >= 0;
                final long x0 = ((n * C + c0) * H + ih) * W + iw, w0 = ((k * cg) * R + wr) * S + ws;
                for (long c = 0; c < cg; c++) {
                    // A zero border is a real zero times the weight, as in PyTorch: 0 * Inf = NaN.
                    final double xv = inside ? x.get(x0 + c * H * W) : 0.0;
                    final double term = xv * w.get(w0 + c * R * S);
                    sum += term;
                    mag += Math.abs(term);
                }
            }
        }
        if (absSum != null) absSum[0] = mag;
        return sum;
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
        final Source xs = Source.of(x), wsrc = Source.of(w), bs = bias == null ? null : Source.of(bias);
        final Epilogue epi = pr.epilogue();
        final double[] mag = new double[1];
        int out = 0;
        for (long n = 0; n < pr.n(); n++) {
            for (long k = 0; k < pr.k(); k++) {
                for (long p = 0; p < pr.p(); p++) {
                    for (long q = 0; q < pr.q(); q++, out++) {
                        double sum = dot(pr, xs, wsrc, bs, n, k, p, q, mag);
                        if (epi.sum()) {
                            sum += yIn[out];
                            mag[0] += Math.abs((double) yIn[out]);
                        }
                        y[out] = epi.activate((float) sum);
                        if (exact != null) exact[out] = epi.activate(sum);
                        if (absSum != null) absSum[out] = mag[0];
                    }
                }
            }
        }
    }
}
