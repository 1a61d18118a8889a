package org.conv4j.backend;

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
                float[] out = problem().epilogue().sum() ? y.toArray() : new float[(int) y.size()];
                ReferenceDirect.compute(problem(), x.toArray(), w.toArray(),
                        bias == null ? null : bias.toArray(), out, out, null, null);
                y.copyFrom(out);
            }
        };
    }
}
