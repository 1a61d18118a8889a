package org.conv4j;

/**
 * A backend returned an output element outside {@link Fidelity}'s rigorous error bound: a wrong number
 * that would otherwise have passed silently. Raised by {@link CheckedBackend}; names the problem, the
 * element (flat NCHW index and its n, k, p, q) and both values. Immutable.
 */
public final class FidelityException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Conv2dProblem problem;
    private final long index;

    FidelityException(Conv2dProblem problem, long index, float got, double expected, double bound) {
        super(String.format("output element %d (n%d k%d p%d q%d) of %s is %s but the reference gives %s;"
                        + " |difference| exceeds the error bound %.3g", index,
                index / (problem.k() * problem.p() * problem.q()), index / (problem.p() * problem.q()) % problem.k(),
                index / problem.q() % problem.p(), index % problem.q(), problem, Float.toString(got),
                Double.toString(expected), bound));
        this.problem = problem;
        this.index = index;
    }

    public Conv2dProblem problem() {
        return problem;
    }

    /** Flat NCHW index of the element outside the bound. */
    public long index() {
        return index;
    }
}
