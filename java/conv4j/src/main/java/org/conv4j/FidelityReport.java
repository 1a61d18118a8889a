package org.conv4j;

/**
 * How closely a backend's output matches the reference on one problem, run by its
 * {@link Conv2dProblem#algorithm()} (named by {@link #toString()}). Immutable and thread-safe.
 *
 * @param problem           the problem compared
 * @param elements          output elements compared
 * @param bitIdentical      elements whose float bits equal the reference's (+0 and -0 count as equal; NaN equals NaN)
 * @param maxUlp            largest distance in units in the last place (float ordering)
 * @param minDigits         fewest agreeing significant decimal digits, {@code -log10(|a - ref| / |ref|)},
 *                          capped at {@link Fidelity#FLOAT_DIGITS} for identical values
 * @param worstBoundRatio   largest {@code |a - exact| / bound}; at most 1 when the backend meets the bound
 * @param worstIndex        flat NCHW index where that ratio occurs (-1 if none)
 * @param bound             whose bound {@code worstBoundRatio} is against: {@code strict} ({@link Fidelity#bound})
 *                          or the algorithm's, e.g. {@code winograd-f4} ({@link Winograd#bound})
 * @param worstStrictRatio  largest {@code |a - exact| / strict bound}: equal to {@code worstBoundRatio} for a
 *                          strict algorithm; above 1 when a {@link Precision#FAST} algorithm spends digits
 */
public record FidelityReport(Conv2dProblem problem, long elements, long bitIdentical, long maxUlp,
                             double minDigits, double worstBoundRatio, long worstIndex, String bound,
                             double worstStrictRatio) {
    /** A report against the strict bound. */
    public FidelityReport(Conv2dProblem problem, long elements, long bitIdentical, long maxUlp, double minDigits,
                          double worstBoundRatio, long worstIndex) {
        this(problem, elements, bitIdentical, maxUlp, minDigits, worstBoundRatio, worstIndex, "strict", worstBoundRatio);
    }

    /**
     * The price of FAST in decimal digits: {@code log10(worstStrictRatio)} when the error exceeds the strict
     * bound, else 0.
     */
    public double digitsBeyondStrict() {
        return worstStrictRatio > 1 ? Math.log10(worstStrictRatio) : 0;
    }

    public double bitIdenticalPercent() {
        return elements == 0 ? 100.0 : 100.0 * bitIdentical / elements;
    }

    /** True when every element lies within the rigorous error bound. */
    public boolean withinBound() {
        return worstBoundRatio <= 1.0;
    }

    @Override
    public String toString() {
        String own = String.format("%s (%s): %d/%d bit-identical (%.2f%%), max %d ulp, >= %.1f digits, error/bound %.3g",
                problem, problem.algorithm(), bitIdentical, elements, bitIdenticalPercent(), maxUlp, minDigits, worstBoundRatio);
        return bound.equals("strict") ? own : String.format("%s (%s), error/strict bound %.3g (%.1f digits beyond it)",
                own, bound, worstStrictRatio, digitsBeyondStrict());
    }
}
