package org.conv4j.image;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;

/**
 * A conv2d plan and its tensors per batch shape, reused batch after batch (a plan allocates nothing per
 * call). The few most recently used shapes are kept; older ones are closed, so a stream of images of
 * many sizes holds bounded native memory. Not thread-safe: the convolution stage owns it.
 */
public final class PlanSlots implements AutoCloseable {
    static final int MAX_SLOTS = 4;

    /** Everything one problem needs: the plan, x/w/y tensors and the heap staging array of x. */
    public static final class Slot implements AutoCloseable {
        public final Conv2dProblem problem;
        public final Conv2dPlan plan;
        public final Tensor x, w, y;
        public final float[] xHeap, weights;

        private Slot(Conv2dBackend backend, Conv2dProblem problem, float[] weights) {
            this.problem = problem;
            this.weights = weights;
            Conv2dPlan pl = null;
            Tensor tx = null, tw = null, ty = null;
            try {
                pl = backend.plan(problem);
                tx = Tensor.zeros(problem.inputShape());
                tw = Tensor.of(weights, problem.weightShape());
                ty = Tensor.zeros(problem.outputShape());
            } catch (RuntimeException | Error e) {
                for (AutoCloseable c : new AutoCloseable[] {ty, tw, tx, pl}) closeQuietly(c);
                throw e;
            }
            plan = pl; x = tx; w = tw; y = ty;
            xHeap = new float[(int) problem.inputElements()];
        }

        @Override
        public void close() {
            plan.close();
            x.close();
            w.close();
            y.close();
        }
    }

    private final Conv2dBackend backend;
    private final Map<Conv2dProblem, Slot> slots = new LinkedHashMap<>(8, 0.75f, true);

    public PlanSlots(Conv2dBackend backend) {
        this.backend = backend;
    }

    /** The slot of {@code problem}, created with {@code weights} on first use. */
    public Slot get(Conv2dProblem problem, Supplier<float[]> weights) {
        Slot s = slots.get(problem);
        if (s != null) return s;
        if (slots.size() >= MAX_SLOTS) {
            Iterator<Slot> eldest = slots.values().iterator();
            eldest.next().close();
            eldest.remove();
        }
        s = new Slot(backend, problem, weights.get());
        slots.put(problem, s);
        return s;
    }

    @Override
    public void close() {
        for (Slot s : slots.values()) s.close();
        slots.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) c.close();
        } catch (Exception ignored) {
            // already failing; the first error is the one reported
        }
    }
}
