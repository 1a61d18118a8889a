package org.conv4j.backend;

import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;

/**
 * A plan of the Java backend in two steps, so that a constant-weight plan does the first once: load the
 * weights and bias into the heap layout its algorithm reads, then run over the input. Not thread-safe.
 */
abstract class JavaPlan extends Conv2dPlan {
    JavaPlan(Conv2dProblem problem) {
        super(problem);
    }

    /** Reads the weights and bias (per call, or once for a constant-weight plan). */
    abstract void loadWeights(Tensor w, Tensor b);

    /** The convolution of x into y with the weights last loaded. */
    abstract void run(Tensor x, Tensor y);

    @Override
    protected final void compute(Tensor x, Tensor w, Tensor b, Tensor y) {
        loadWeights(w, b);
        run(x, y);
    }
}
