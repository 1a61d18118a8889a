package org.conv4j;

import java.util.Arrays;

/**
 * A {@link Conv2dProblem} prepared on one backend: owns what repeated calls reuse (for the native
 * backend: the native descriptor and the im2col workspace), so {@link #forward} allocates nothing.
 *
 * <p>{@link #forward} is the façade: it validates the tensors once (open, shapes matching the problem,
 * output distinct from the inputs) and only then hands them to the backend. A plan is not
 * thread-safe: give each thread its own plan (tensors of weights may be shared for reading).
 */
public abstract class Conv2dPlan implements AutoCloseable {
    private final Conv2dProblem problem;
    private boolean closed;

    /**
     * Checks, before a backend allocates anything, that every tensor of {@code problem} can exist
     * ({@link Tensor#MAX_ELEMENTS}); a problem whose input, weights or output could not be held is an
     * {@link IllegalArgumentException} naming the tensor, its shape and its element count.
     */
    protected Conv2dPlan(Conv2dProblem problem) {
        requireHoldable(problem);
        this.problem = problem;
    }

    /** The check of the constructor above, shared with {@link ConstantWeightPlan}. */
    static void requireHoldable(Conv2dProblem problem) {
        requireHoldable(problem, "input", problem.inputShape(), problem.inputElements());
        requireHoldable(problem, "weight", problem.weightShape(), problem.weightElements());
        requireHoldable(problem, "output", problem.outputShape(), problem.outputElements());
    }

    private static void requireHoldable(Conv2dProblem problem, String name, long[] shape, long elements) {
        if (elements > Tensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException("problem " + problem + ": the " + name + " tensor "
                    + Arrays.toString(shape) + " would hold " + elements + " elements, more than a tensor can ("
                    + Tensor.MAX_ELEMENTS + "); split the batch or the image");
        }
    }

    public final Conv2dProblem problem() {
        return problem;
    }

    /**
     * {@code y = conv(x, w) + bias} as {@link Conv2dProblem} defines it. Reads x {@code [N,C,H,W]},
     * w {@code [K,C/groups,R,S]} and bias {@code [K]} (null when the problem has none); overwrites every
     * element of y {@code [N,K,P,Q]}, after reading it when the epilogue sums (a residual add).
     */
    public final void forward(Tensor x, Tensor w, Tensor bias, Tensor y) {
        if (closed) throw new IllegalStateException("plan for " + problem + " is closed");
        check(problem, "input", x, problem.inputShape());
        check(problem, "weight", w, problem.weightShape());
        checkBias(problem, bias);
        checkOutput(problem, y, x, w, bias);
        compute(x, w, bias, y);
    }

    /** Returns a new output tensor; the caller owns (and closes) it. Not for a summing epilogue. */
    public final Tensor forward(Tensor x, Tensor w, Tensor bias) {
        if (problem.epilogue().sum()) {
            throw new IllegalArgumentException("epilogue sum of " + problem + " adds into the caller's output:"
                    + " use forward(x, w, bias, y) with y holding the residual");
        }
        Tensor y = Tensor.zeros(problem.outputShape());
        try {
            forward(x, w, bias, y);
            return y;
        } catch (RuntimeException e) {
            y.close();
            throw e;
        }
    }

    /** {@code bias} as {@code problem} needs it: of shape [K] when it has one, else null. */
    static void checkBias(Conv2dProblem problem, Tensor bias) {
        if (problem.hasBias()) {
            check(problem, "bias", bias, problem.biasShape());
        } else if (bias != null) {
            throw new IllegalArgumentException("bias given but problem " + problem + " has none (b0)");
        }
    }

    /**
     * y of the output shape, sharing no memory with the (already checked) inputs x, w, bias, any of which
     * may be null: views and wraps may alias, so addresses are compared. No varargs: nothing allocated per call.
     */
    static void checkOutput(Conv2dProblem problem, Tensor y, Tensor x, Tensor w, Tensor bias) {
        check(problem, "output", y, problem.outputShape());
        if (y.overlaps(x) || y.overlaps(w) || y.overlaps(bias)) {
            throw new IllegalArgumentException("output tensor must not also be an input or share memory with one ("
                    + problem + ")");
        }
    }

    static void check(Conv2dProblem problem, String name, Tensor t, long[] expected) {
        if (t == null) {
            throw new IllegalArgumentException(name + " tensor is null; problem " + problem + " needs "
                    + Arrays.toString(expected));
        }
        if (t.isClosed()) throw new IllegalArgumentException(name + " tensor " + t + " is closed");
        if (!t.hasShape(expected)) {
            throw new IllegalArgumentException(name + " tensor has shape " + Arrays.toString(t.shape())
                    + " but problem " + problem + " needs " + Arrays.toString(expected));
        }
    }

    /** Runs the validated problem. Backends implement only this. */
    protected abstract void compute(Tensor x, Tensor w, Tensor bias, Tensor y);

    /** Releases what the plan owns. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    protected void release() {
    }
}
