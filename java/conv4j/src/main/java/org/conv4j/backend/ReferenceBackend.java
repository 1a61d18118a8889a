package org.conv4j.backend;

import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;

/**
 * {@link ReferenceDirect} behind the backend interface; copies tensors through the heap. The backend is
 * stateless and thread-safe; its plans hold nothing but the problem (still, one plan per thread).
 */
public final class ReferenceBackend implements Conv2dBackend {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Conv2dPlan plan(Conv2dProblem problem) {
        return new Conv2dPlan(problem) {
            @Override
            protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
                run(problem(), x, w.toArray(), bias == null ? null : bias.toArray(), y);
            }
        };
    }

    /** Weights and bias copied once to the heap, where the reference reads them. */
    @Override
    public ConstantWeightPlan plan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        return new ConstantWeightPlan(problem, weights, bias) {
            private final float[] w = weights.toArray(), b = bias == null ? null : bias.toArray();

            @Override
            protected void compute(Tensor x, Tensor y) {
                run(problem(), x, w, b, y);
            }
        };
    }

    private static void run(Conv2dProblem pr, Tensor x, float[] w, float[] bias, Tensor y) {
        float[] out = pr.epilogue().sum() ? y.toArray() : new float[(int) y.size()];
        ReferenceDirect.compute(pr, x.toArray(), w, bias, out, out, null, null);
        y.copyFrom(out);
    }
}
