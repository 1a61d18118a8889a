package org.conv4j;

/**
 * The one-call façade. Thread-safe: each call makes and closes its own plan (the tensors passed must
 * not be closed or written by another thread meanwhile). For repeated calls on one problem, keep a {@link Conv2dPlan} from
 * {@link Conv2dBackend#plan(Conv2dProblem)} instead: it allocates nothing per call.
 *
 * <pre>{@code
 * Conv2dProblem sobel = Conv2dProblem.builder().input(1, 1, 5, 5).filters(1, 3, 3).build();
 * try (Tensor x = Tensor.of(image, sobel.inputShape());
 *      Tensor w = Tensor.of(new float[] {-1, 0, 1, -2, 0, 2, -1, 0, 1}, sobel.weightShape());
 *      Tensor y = Conv2d.forward(sobel, x, w, null)) {
 *     float[] edges = y.toArray();
 * }
 * }</pre>
 */
public final class Conv2d {
    private Conv2d() {
    }

    /** {@code y = conv(x, w) + bias} on {@link Backends#best()}; the caller owns (closes) the result. */
    public static Tensor forward(Conv2dProblem problem, Tensor x, Tensor w, Tensor bias) {
        return forward(problem, x, w, bias, Backends.best());
    }

    /** As {@link #forward(Conv2dProblem, Tensor, Tensor, Tensor)} on a chosen backend. */
    public static Tensor forward(Conv2dProblem problem, Tensor x, Tensor w, Tensor bias, Conv2dBackend backend) {
        try (Conv2dPlan plan = backend.plan(problem)) {
            return plan.forward(x, w, bias);
        }
    }

    /** Writes the result into the caller's {@code y} (shape {@link Conv2dProblem#outputShape()}). */
    public static void forward(Conv2dProblem problem, Tensor x, Tensor w, Tensor bias, Tensor y,
                               Conv2dBackend backend) {
        try (Conv2dPlan plan = backend.plan(problem)) {
            plan.forward(x, w, bias, y);
        }
    }
}
