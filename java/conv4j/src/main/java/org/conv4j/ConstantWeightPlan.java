package org.conv4j;

import java.util.function.Supplier;

/**
 * A {@link Conv2dProblem} prepared on one backend with its weights and bias fixed, for inference: they
 * are read once, when the plan is made, and kept in whatever layout the backend's algorithm reads
 * (copied, packed or transformed), so {@link #forward(Tensor, Tensor)} reads only the input and
 * allocates nothing. Made by {@link Conv2dBackend#plan(Conv2dProblem, Tensor, Tensor)}.
 *
 * <p>The plan keeps no reference to the caller's weight and bias tensors: they may be modified or
 * closed right after planning. Its results equal, bit for bit, those of {@link Conv2dPlan#forward(Tensor,
 * Tensor, Tensor, Tensor)} on the same backend with the weights as they were at planning time.
 *
 * <p>{@link #forward} is the façade, as for {@link Conv2dPlan}: it validates the tensors (open, shapes
 * matching the problem, output sharing no memory with the input) before the backend sees them. Not
 * thread-safe: one plan per thread. {@link #close()} releases the prepared weights and the workspace.
 */
public abstract class ConstantWeightPlan implements AutoCloseable {
    private final Conv2dProblem problem;
    private boolean closed;

    /**
     * Validates, before a backend allocates anything or calls native code, that every tensor of
     * {@code problem} can exist, that {@code weights} is open with shape {@code [K, C/groups, R, S]} and
     * that {@code bias} is an open {@code [K]} tensor when the problem has a bias and null when it has
     * none; otherwise an {@link IllegalArgumentException} names the tensor and both shapes.
     */
    protected ConstantWeightPlan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        Conv2dPlan.requireHoldable(problem);
        Conv2dPlan.check(problem, "weight", weights, problem.weightShape());
        Conv2dPlan.checkBias(problem, bias);
        this.problem = problem;
    }

    public final Conv2dProblem problem() {
        return problem;
    }

    /**
     * {@code y = conv(x, w) + bias} with the planned weights. Reads x {@code [N,C,H,W]}; overwrites every
     * element of y {@code [N,K,P,Q]}, after reading it when the epilogue sums (a residual add).
     */
    public final void forward(Tensor x, Tensor y) {
        if (closed) throw new IllegalStateException("constant-weight plan for " + problem + " is closed");
        Conv2dPlan.check(problem, "input", x, problem.inputShape());
        Conv2dPlan.checkOutput(problem, y, x, null, null);
        compute(x, y);
    }

    /** Returns a new output tensor; the caller owns (and closes) it. Not for a summing epilogue. */
    public final Tensor forward(Tensor x) {
        if (problem.epilogue().sum()) {
            throw new IllegalArgumentException("epilogue sum of " + problem + " adds into the caller's output:"
                    + " use forward(x, y) with y holding the residual");
        }
        Tensor y = Tensor.zeros(problem.outputShape());
        try {
            forward(x, y);
            return y;
        } catch (RuntimeException e) {
            y.close();
            throw e;
        }
    }

    /** Runs the validated problem on the planned weights. Backends implement only this. */
    protected abstract void compute(Tensor x, Tensor y);

    /** Releases the prepared weights and whatever else the plan owns. Idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    protected void release() {
    }

    /**
     * The preparation a backend without its own gets: weights and bias copied once into tensors the plan
     * owns, then run per call by the plan {@code perCall} supplies (made after the copies; on failure the
     * copies are freed).
     */
    static ConstantWeightPlan copying(Conv2dProblem problem, Tensor weights, Tensor bias, Supplier<Conv2dPlan> perCall) {
        return new ConstantWeightPlan(problem, weights, bias) {
            private final Tensor w = weights.copy();
            private final Tensor b = copyOrFree(bias, w);
            private final Conv2dPlan plan = planOrFree(perCall, w, b);

            @Override
            protected void compute(Tensor x, Tensor y) {
                plan.compute(x, w, b, y);
            }

            @Override
            protected void release() {
                plan.close();
                w.close();
                if (b != null) b.close();
            }
        };
    }

    private static Tensor copyOrFree(Tensor t, Tensor made) {
        try {
            return t == null ? null : t.copy();
        } catch (RuntimeException | Error e) {
            made.close();
            throw e;
        }
    }

    private static Conv2dPlan planOrFree(Supplier<Conv2dPlan> perCall, Tensor w, Tensor b) {
        try {
            return perCall.get();
        } catch (RuntimeException | Error e) {
            w.close();
            if (b != null) b.close();
            throw e;
        }
    }

    /**
     * This plan behind the per-call interface, for decorators that wrap a plan (such as
     * {@link CheckedBackend}): its compute ignores the weights it is passed and runs this plan's; closing it
     * closes this plan.
     */
    Conv2dPlan asPerCallPlan() {
        ConstantWeightPlan prepared = this;
        return new Conv2dPlan(problem) {
            @Override
            protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
                prepared.compute(x, y);
            }

            @Override
            protected void release() {
                prepared.close();
            }
        };
    }
}
