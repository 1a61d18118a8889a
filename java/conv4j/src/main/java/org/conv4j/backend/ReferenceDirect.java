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
 * <p>{@link #dotRun} is the one definition of the arithmetic: {@link #compute} runs it for every output,
 * {@link org.conv4j.CheckedBackend} for a sample of outputs read straight from off-heap tensors.
 */
public final class ReferenceDirect {
    private ReferenceDirect() {
    }

    /**
     * Read access to a flat float array, on the heap or off it; {@code i} is a flat row-major index. A
     * final class over either, not an interface of lambdas: the loops of {@link #dotRun} call it once per
     * term, and with both kinds of source in one JVM an interface call there cost 8 ns per term against 1.
     */
    public static final class Source {
        private final float[] array;
        private final FloatBuffer buffer;

        private Source(float[] array, FloatBuffer buffer) {
            this.array = array;
            this.buffer = buffer;
        }

        public float get(long i) {
            return array != null ? array[(int) i] : buffer.get((int) i);
        }

        public static Source of(float[] a) {
            return new Source(a, null);
        }

        /** Reads {@code b} by absolute index (its position is ignored); no copy is made. */
        public static Source of(FloatBuffer b) {
            return new Source(null, b);
        }
    }

    /**
     * Outputs {@code (n, k, p, q0 + l)}, {@code 0 <= l < L}, of one output row ({@code q0 + L <= Q}), before
     * the epilogue's sum and activation, into {@code sum[l]}:
     * {@code bias[k] + sum_{c,r,s} w[k][c][r'][s'] * xpad[n][g*C/G + c][p*sh + r*dh][q*sw + s*dw]}
     * accumulated in double (products of floats are exact in double), terms added in the order
     * (r, s, c) whatever L is: a run of outputs gives each the bits it gets alone. Neighbours along q read
     * neighbouring inputs, so a run shares the cache lines of its input rows (what makes the checked mode's
     * sampled runs cheap).
     *
     * @param bias   null when the problem has none
     * @param absSum if non-null, {@code absSum[l]} receives {@code sum |x*w| + |bias|} of output l
     */
    public static void dotRun(Conv2dProblem pr, Source x, Source w, Source bias, long n, long k, long p, long q0,
                              int L, double[] sum, double[] absSum) {
        final long C = pr.c(), H = pr.h(), W = pr.w(), R = pr.r(), S = pr.s(), cg = pr.cPerGroup();
        final long sw = pr.strideW();
        final boolean flip = pr.mode() == Mode.CONVOLUTION;
        final Border border = pr.border();
        final long c0 = (k / pr.kPerGroup()) * cg;
        final double b = bias == null ? 0.0 : bias.get(k);
        for (int l = 0; l < L; l++) {
            sum[l] = b;
            if (absSum != null) absSum[l] = Math.abs(b);
        }
        // Taps outer, channels, then the run: the border is resolved once per tap and output, not per channel.
        for (long r = 0; r < R; r++) {
            final long ih = border.index(p * pr.strideH() - pr.padTop() + r * pr.dilationH(), H);
            final long wr = flip ? R - 1 - r : r;
            for (long s = 0; s < S; s++) {
                final long ws = flip ? S - 1 - s : s, w0 = ((k * cg) * R + wr) * S + ws;
                final long iw0 = q0 * sw - pr.padLeft() + s * pr.dilationW();
                // The whole run reads inside the row: no border to resolve (the common case, made fast).
                final boolean inside = ih >= 0 && iw0 >= 0 && iw0 + (L - 1) * sw < W;
                if (inside && s == 0) touch(x, ((n * C + c0) * H + ih) * W + iw0, H * W, cg, (L - 1) * sw);
                for (long c = 0; c < cg; c++) {
                    final double wv = w.get(w0 + c * R * S);
                    final long xc = ((n * C + c0 + c) * H + ih) * W;
                    if (inside) {
                        for (int l = 0; l < L; l++) {
                            final double term = x.get(xc + iw0 + l * sw) * wv;
                            sum[l] += term;
                            if (absSum != null) absSum[l] += Math.abs(term);
                        }
                        continue;
                    }
                    for (int l = 0; l < L; l++) {
                        final long iw = border.index(iw0 + l * sw, W);
                        // A zero border is a real zero times the weight, as in PyTorch: 0 * Inf = NaN.
                        final double xv = ih >= 0 && iw >= 0 ? x.get(xc + iw) : 0.0;
                        final double term = xv * wv;
                        sum[l] += term;
                        if (absSum != null) absSum[l] += Math.abs(term);
                    }
                }
            }
        }
    }

    /** Written only when {@link #touch} reads an improbable value: what keeps its loads from being elided. */
    private static volatile int touched;

    /**
     * Reads the first and last input of the run in each of the {@code cg} channel rows ({@code first + c*stride},
     * {@code + span}) before the dot products need them. The loads are independent of one another, so they miss the
     * cache in parallel, where the sums' loop, one channel after the other, would wait for most of them in turn
     * (a checked call's sampled inputs are cold after the call: CheckedBackend). The values are not used.
     */
    private static void touch(Source x, long first, long stride, long cg, long span) {
        float acc = 0;
        for (long c = 0, at = first; c < cg; c++, at += stride) acc += x.get(at) + x.get(at + span);
        if (Float.floatToRawIntBits(acc) == 0x7fc00123) touched++;
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
        final int Q = (int) pr.q();
        final double[] sums = new double[Q], mag = new double[Q];
        int out = 0;
        for (long n = 0; n < pr.n(); n++) {
            for (long k = 0; k < pr.k(); k++) {
                for (long p = 0; p < pr.p(); p++) {
                    dotRun(pr, xs, wsrc, bs, n, k, p, 0, Q, sums, mag);
                    for (int q = 0; q < Q; q++, out++) {
                        double sum = sums[q];
                        if (epi.sum()) {
                            sum += yIn[out];
                            mag[q] += Math.abs((double) yIn[out]);
                        }
                        y[out] = epi.activate((float) sum);
                        if (exact != null) exact[out] = epi.activate(sum);
                        if (absSum != null) absSum[out] = mag[q];
                    }
                }
            }
        }
    }
}
