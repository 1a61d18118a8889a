package org.conv4j.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.conv4j.Backends;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.JavaIm2colGemmBackend;
import org.conv4j.backend.NativeIm2colGemmBackend;
import org.conv4j.backend.NativeLibrary;

/**
 * What one Spark partition needs to run a problem row after row: the constant-weight plan (weights and
 * bias prepared once, native descriptor and im2col workspace) and one input and one output tensor, all
 * off-heap, made once and reused for every row. Closed when the partition ends, by its iterator or by
 * the task's completion listener (which also runs when the task fails or is killed). Not thread-safe:
 * one per task.
 */
final class PartitionConv implements AutoCloseable {
    /** Instances open in this JVM; in local mode a test sees the executors' count. */
    static final AtomicInteger OPEN = new AtomicInteger();

    private final Conv2dProblem problem;
    private final ConstantWeightPlan plan;
    private final Tensor x, y;
    private boolean closed;

    PartitionConv(Conv2dProblem problem, float[] weights, float[] biasValues, String backendName) {
        this.problem = problem;
        Conv2dBackend backend = taskBackend(backendName);
        ConstantWeightPlan p = null;
        Tensor tx = null;
        try (Tensor w = Tensor.of(weights, problem.weightShape());
             Tensor b = problem.hasBias() ? Tensor.of(biasValues, problem.biasShape()) : null) {
            p = backend.plan(problem, w, b);
            tx = Tensor.zeros(problem.inputShape());
            y = Tensor.zeros(problem.outputShape());
        } catch (RuntimeException | Error e) {
            if (tx != null) tx.close();
            if (p != null) p.close();
            throw e;
        }
        plan = p;
        x = tx;
        OPEN.incrementAndGet();
    }

    /**
     * Backend {@code name} on one thread: Spark's task slots are the parallelism, so a task's native pool
     * or OpenBLAS threads beside the other slots' would oversubscribe the executor's cores.
     */
    static Conv2dBackend taskBackend(String name) {
        Conv2dBackend b = Backends.byName(name);
        if (b instanceof NativeIm2colGemmBackend) {
            NativeLibrary.setOpenblasThreads(1);
            return new NativeIm2colGemmBackend(1);
        }
        return b instanceof JavaIm2colGemmBackend ? new JavaIm2colGemmBackend(1) : b;
    }

    Conv2dProblem problem() {
        return problem;
    }

    /** The input tensor the next {@link #forward} reads; fill it first. */
    Tensor input() {
        return open(x);
    }

    /** The output tensor {@link #forward} writes; holds the residual before it when the epilogue sums. */
    Tensor output() {
        return open(y);
    }

    /** {@code output = act(conv(input, w) + bias [+ output])} with the planned weights. */
    void forward() {
        plan.forward(open(x), y);
    }

    private Tensor open(Tensor t) {
        if (closed) throw new IllegalStateException("partition resources for " + problem + " are closed");
        return t;
    }

    /** Releases both tensors and the plan (with its prepared weights). Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        y.close();
        x.close();
        plan.close();
        OPEN.decrementAndGet();
    }
}
