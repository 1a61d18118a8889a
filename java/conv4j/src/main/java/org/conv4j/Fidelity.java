package org.conv4j;

import org.conv4j.backend.ReferenceDirect;

/**
 * The digit-for-digit check: runs a problem on a backend and on the reference and compares.
 *
 * <p>The bound. Each output is a float dot product of {@code n = (C/groups)*R*S} terms (plus the bias).
 * Whatever the summation order or blocking, the computed value {@code y'} satisfies the classic forward
 * error bound (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., section 3.1)
 * <pre>
 *   |y' - y| &lt;= gamma * (sum |x*w| + |bias|),   gamma = (n+1)*u / (1 - (n+1)*u),   u = 2^-24
 * </pre>
 * where {@code y} is the exact value, taken from the reference's double accumulation (its own error,
 * about {@code n * 2^-53 * sum |x*w|}, is added to the bound). With a summing epilogue the residual is one
 * more term ({@code n+1} terms plus bias, {@code + |y_in|} in the sum). Border modes only change which
 * input values enter the sum, not the bound. ReLU and clamp are 1-Lipschitz, so the bound holds after them
 * too (both sides are activated). FMA only tightens this. Underflow into subnormals adds at most
 * {@code 2^-149} per operation, an absolute term {@code (n+1) * 2^-149} (a backend that flushes subnormals
 * to zero exceeds it). Overflow to infinity must match exactly. When every partial sum is an integer below
 * 2^24 the float computation is exact, so outputs must be bit-identical.
 *
 * <p>Algorithms allowed under {@link Precision#FAST} have their own, larger rigorous bound ({@link Winograd}):
 * a report then gives the error against that bound ({@link FidelityReport#worstBoundRatio()}) and against the
 * strict bound above ({@link FidelityReport#worstStrictRatio()}, the price of FAST).
 *
 * <p>Thread-safe (stateless).
 */
public final class Fidelity {
    /** Significant decimal digits of a float: {@code 24 * log10(2)}. */
    public static final double FLOAT_DIGITS = 24 * Math.log10(2);
    private static final double U = 0x1p-24;

    private Fidelity() {
    }

    /** {@code gamma = (n+1)*u / (1 - (n+1)*u)} for a dot product of {@code n} terms plus a bias. */
    public static double gamma(long n) {
        double nu = (n + 1) * U;
        return nu / (1 - nu);
    }

    /**
     * Runs {@code problem} on {@code backend} and on the reference over the same heap data and compares.
     * {@code bias} must be null when the problem has none.
     */
    public static FidelityReport check(Conv2dProblem problem, Conv2dBackend backend, float[] x, float[] w,
                                       float[] bias) {
        return check(problem, backend, x, w, bias, null);
    }

    /**
     * As {@link #check(Conv2dProblem, Conv2dBackend, float[], float[], float[])}, with the output's previous
     * content {@code yIn} for a summing epilogue (zeros when null).
     */
    public static FidelityReport check(Conv2dProblem problem, Conv2dBackend backend, float[] x, float[] w,
                                       float[] bias, float[] yIn) {
        try (Tensor tx = Tensor.of(x, problem.inputShape());
             Tensor tw = Tensor.of(w, problem.weightShape());
             Tensor tb = bias == null ? null : Tensor.of(bias, problem.biasShape());
             Tensor ty = yIn == null ? null : Tensor.of(yIn, problem.outputShape())) {
            return check(problem, backend, tx, tw, tb, ty);
        }
    }

    /**
     * Runs {@code problem} on {@code backend} over the caller's tensors (owned, wrapped or views; only
     * read) and on the reference over heap copies of them, and compares. {@code bias} must be null when
     * the problem has none; tensors are validated as {@link Conv2dPlan#forward} does.
     */
    public static FidelityReport check(Conv2dProblem problem, Conv2dBackend backend, Tensor x, Tensor w,
                                       Tensor bias) {
        return check(problem, backend, x, w, bias, null);
    }

    /**
     * As {@link #check(Conv2dProblem, Conv2dBackend, Tensor, Tensor, Tensor)}, with the output's previous
     * content {@code yIn} (shape {@link Conv2dProblem#outputShape()}, only read) for a summing epilogue
     * (zeros when null).
     */
    public static FidelityReport check(Conv2dProblem problem, Conv2dBackend backend, Tensor x, Tensor w,
                                       Tensor bias, Tensor yIn) {
        if (yIn != null) Conv2dPlan.check(problem, "previous output yIn", yIn, problem.outputShape());
        float[] got;
        try (Tensor y = yIn == null ? Tensor.zeros(problem.outputShape()) : yIn.copy();
             Conv2dPlan plan = backend.plan(problem)) {
            plan.forward(x, w, bias, y);
            got = y.toArray();
        }
        return compare(problem, x.toArray(), w.toArray(), bias == null ? null : bias.toArray(),
                yIn == null ? null : yIn.toArray(), got, backend.winograd(problem));
    }

    /** Compares {@code actual} (a backend's output for these inputs) with the reference. */
    public static FidelityReport compare(Conv2dProblem problem, float[] x, float[] w, float[] bias,
                                         float[] actual) {
        return compare(problem, x, w, bias, null, actual);
    }

    /** Compares {@code actual} with the reference; {@code yIn} is the summed residual (zeros when null). */
    public static FidelityReport compare(Conv2dProblem problem, float[] x, float[] w, float[] bias,
                                         float[] yIn, float[] actual) {
        return compare(problem, x, w, bias, yIn, actual, null);
    }

    /**
     * Compares {@code actual}, computed by {@code winograd} (null: an algorithm held to the strict bound), with
     * the reference: against that algorithm's own bound and against the strict bound.
     */
    public static FidelityReport compare(Conv2dProblem problem, float[] x, float[] w, float[] bias,
                                         float[] yIn, float[] actual, Winograd winograd) {
        int m = (int) problem.outputElements();
        if (actual.length != m) {
            throw new IllegalArgumentException("actual output length " + actual.length + " but problem "
                    + problem + " has " + m + " outputs");
        }
        float[] ref = new float[m];
        double[] exact = new double[m];
        double[] mag = new double[m];
        float[] in = yIn != null ? yIn : new float[m];
        ReferenceDirect.compute(problem, x, w, bias, in, ref, exact, mag);
        long identical = 0, maxUlp = 0, worstIndex = -1;
        double minDigits = FLOAT_DIGITS, worst = 0, worstStrict = 0;
        ReferenceDirect.Source xs = ReferenceDirect.Source.of(x), ws = ReferenceDirect.Source.of(w);
        long pq = problem.p() * problem.q();
        for (int i = 0; i < m; i++) {
            float a = actual[i], b = ref[i];
            if (a == b || (Float.isNaN(a) && Float.isNaN(b))) {
                identical++;
            } else {
                maxUlp = Math.max(maxUlp, ulpDistance(a, b));
                minDigits = Math.min(minDigits, digits(a, b));
            }
            double strict = boundRatio(a, exact[i], classicalBound(problem, mag[i]));
            double ratio = strict;
            if (winograd != null) {
                long k = i / pq % problem.k();
                double rest = (bias == null ? 0 : Math.abs((double) bias[(int) k])) + Math.abs((double) in[i]);
                double own = winograd.bound(problem, xs, ws, i / pq / problem.k(), k, i / problem.q() % problem.p(),
                        i % problem.q(), rest);
                ratio = own == Double.POSITIVE_INFINITY ? 0 : boundRatio(a, exact[i], own);
            }
            worstStrict = Double.isNaN(strict) ? Double.POSITIVE_INFINITY : Math.max(worstStrict, strict);
            if (ratio > worst || (Double.isNaN(ratio) && !Double.isNaN(worst))) {
                worst = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                worstIndex = i;
            }
        }
        return new FidelityReport(problem, m, identical, maxUlp, minDigits, worst, worstIndex,
                winograd == null ? "strict" : winograd.label(), worstStrict);
    }

    /**
     * The bound on {@code |y' - exact|} for one output of {@code problem} whose terms have
     * {@code absSum = sum |x*w| + |bias| (+ |y_in|)}: the bound of the algorithm that runs it,
     * {@link Algorithm#errorBound(Conv2dProblem, double)} of {@link Conv2dProblem#algorithm()}.
     */
    public static double bound(Conv2dProblem problem, double absSum) {
        return problem.algorithm().errorBound(problem, absSum);
    }

    /**
     * The classical bound of a float dot product in any summation order (the class comment): gamma of the
     * reduction length (one more term when the epilogue sums) times {@code absSum}, plus the reference's own
     * double error and the underflow term. What every algorithm that computes the plain dot product meets.
     */
    public static double classicalBound(Conv2dProblem problem, double absSum) {
        double g = gamma(problem.reduction() + (problem.epilogue().sum() ? 1 : 0));
        long terms = problem.reduction() + 1;
        double doubleError = terms * 0x1p-53;
        // Gradual underflow: each float product or sum below 2^-126 may also be off by half of 2^-149.
        return (g + doubleError) * absSum + terms * 0x1p-149;
    }

    /** {@code |a - exact| / bound}; 0 when equal, infinite when a special value differs. */
    static double boundRatio(float a, double exact, double bound) {
        if (Double.isNaN(exact) || Double.isInfinite(exact)) {
            return (Double.isNaN(exact) ? Float.isNaN(a) : a == exact) ? 0 : Double.POSITIVE_INFINITY;
        }
        double err = Math.abs(a - exact);
        if (err == 0) return 0;
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / bound;
    }

    /** Distance in float ordering: the number of floats between a and b (+0 and -0 are 0 apart). */
    public static long ulpDistance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return (Float.isNaN(a) && Float.isNaN(b)) ? 0 : Integer.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? -(long) (bits & 0x7fffffff) : bits;
    }

    /** Agreeing significant decimal digits of a against reference b. */
    public static double digits(float a, float b) {
        if (a == b) return FLOAT_DIGITS;
        if (b == 0 || Float.isNaN(a) || Float.isNaN(b) || Float.isInfinite(a) || Float.isInfinite(b)) return 0;
        double rel = Math.abs((double) a - b) / Math.abs((double) b);
        return Math.max(0, Math.min(FLOAT_DIGITS, -Math.log10(rel)));
    }
}
