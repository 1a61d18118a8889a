package org.conv4j.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.conv4j.Backends;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeLibrary;

/**
 * What one Spark partition needs to run a problem row after row: the plan (native descriptor and
 * im2col workspace), the weights and bias, and one input and one output tensor, all off-heap, made once
 * and reused for every row. Closed when the partition ends, by its iterator or by the task's completion
 * listener (which also runs when the task fails or is killed). Not thread-safe: one per task.
 */
final class PartitionConv implements AutoCloseable {
    /** Instances open in this JVM; in local mode a test sees the executors' count. */
    static final AtomicInteger OPEN = new AtomicInteger();

    private final Conv2dProblem problem;
    private final Conv2dPlan plan;
    private final Tensor w, bias, x, y;
    private boolean closed;

    PartitionConv(Conv2dProblem problem, float[] weights, float[] biasValues, String backendName) {
        this.problem = problem;
        Conv2dBackend backend = Backends.byName(backendName);
        // Spark's task slots are the parallelism: OpenBLAS threads beside them would oversubscribe the cores.
        if (backend == Backends.nativeBackend()) NativeLibrary.setOpenblasThreads(1);
        Conv2dPlan p = null;
        Tensor tw = null, tb = null, tx = null;
        try {
            p = backend.plan(problem);
            tw = Tensor.of(weights, problem.weightShape());
            tb = problem.hasBias() ? Tensor.of(biasValues, problem.biasShape()) : null;
            tx = Tensor.zeros(problem.inputShape());
            y = Tensor.zeros(problem.outputShape());
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {tx, tb, tw, p}) closeQuietly(c);
            throw e;
        }
        plan = p;
        w = tw;
        bias = tb;
        x = tx;
        OPEN.incrementAndGet();
    }

    Conv2dProblem problem() {
        return problem;
    }

    /**
     * {@code y = act(conv(x, w) + bias + residual)}: reads {@code input} (NCHW, the problem's input
     * elements) and, when the epilogue sums, {@code residual} (the output's elements); returns a new array.
     */
    float[] forward(float[] input, float[] residual) {
        if (closed) throw new IllegalStateException("partition resources for " + problem + " are closed");
        x.copyFrom(input);
        if (problem.epilogue().sum()) y.copyFrom(residual);
        plan.forward(x, w, bias, y);
        return y.toArray();
    }

    /** Releases every tensor and the plan. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (AutoCloseable c : new AutoCloseable[] {y, x, bias, w, plan}) closeQuietly(c);
        OPEN.decrementAndGet();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // Tensor and plan close() do not throw; nothing else is held here.
        }
    }
}
