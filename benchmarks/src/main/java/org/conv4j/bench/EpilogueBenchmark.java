package org.conv4j.bench;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.conv4j.Backends;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeLibrary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The price of the epilogue on the native backend, 1 OpenBLAS thread:
 * <ul>
 *   <li>{@code bias}: {@code y = conv + b} (the baseline);</li>
 *   <li>{@code fused_relu}, {@code fused_sum_relu}: {@code y = relu(conv + b [+ y_in])} in the pass that writes y;</li>
 *   <li>{@code separate_relu}, {@code separate_sum_relu}: the bias-only conv into a temporary, then a second
 *       pass over the whole output {@code y = relu(t [+ y_in])} (a Java loop over the off-heap output, what a
 *       caller without fused epilogues writes).</li>
 * </ul>
 * With a sum, y keeps growing by conv + b per call; values stay far from overflow over a run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EpilogueBenchmark {
    @Param({"resnet50-res2-3x3", "vgg16-conv3"})
    public String shape;

    @Param({"bias", "fused_relu", "fused_sum_relu", "separate_relu", "separate_sum_relu"})
    public String variant;

    private Workload wl;
    private Conv2dPlan plan;
    private Tensor tmp;
    private FloatBuffer t, y;
    private boolean separate, sum;

    @Setup(Level.Trial)
    public void setUp() {
        NativeLibrary.require();
        NativeLibrary.setOpenblasThreads(1);
        separate = variant.startsWith("separate");
        sum = variant.contains("sum");
        Conv2dProblem base = Shapes.get(shape);
        String suffix = variant.equals("bias") || separate ? "" : (sum ? "_sum_relu" : "_relu");
        Conv2dProblem pr = Conv2dProblem.parse(base + suffix);
        wl = new Workload(pr);
        plan = Backends.byName("native").plan(pr);
        if (separate) {
            tmp = Tensor.zeros(pr.outputShape());
            t = tmp.pointer().asBuffer();
            y = wl.y.pointer().asBuffer();
        }
    }

    @Benchmark
    public Object forward() {
        if (!separate) {
            plan.forward(wl.x, wl.w, wl.bias, wl.y);
            return wl.y;
        }
        plan.forward(wl.x, wl.w, wl.bias, tmp);
        if (sum) {
            sumRelu(t, y);
        } else {
            relu(t, y);
        }
        return wl.y;
    }

    /** {@code y[i] = relu(t[i])}; NaN passes. */
    private static void relu(FloatBuffer t, FloatBuffer y) {
        for (int i = 0, n = t.limit(); i < n; i++) {
            float v = t.get(i);
            y.put(i, v < 0f ? 0f : v);
        }
    }

    /** {@code y[i] = relu(t[i] + y[i])}; NaN passes. */
    private static void sumRelu(FloatBuffer t, FloatBuffer y) {
        for (int i = 0, n = t.limit(); i < n; i++) {
            float v = t.get(i) + y.get(i);
            y.put(i, v < 0f ? 0f : v);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plan.close();
        if (tmp != null) tmp.close();
        wl.close();
    }
}
