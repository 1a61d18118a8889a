package org.conv4j.bench;

import java.util.concurrent.TimeUnit;
import org.conv4j.Algorithm;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeIm2colGemmBackend;
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
 * The convolution time alone of {@link Algorithm#SEPARABLE} against the algorithm that ran before it
 * (the problem's {@link Conv2dProblem#fallbackProblem()}: {@code DEPTHWISE} for RGB banks,
 * {@code DIRECT_SMALL_REDUCTION} for gray), on a 1080p image, native backend on one thread, constant-weight
 * plans, binomial Gaussians of R x R (dyadic: factors exact) on each channel, SAME padding.
 * {@code bank}: {@code rgb} = C 3, groups 3, one Gaussian per channel; {@code gray} = C 1, one Gaussian.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SeparableBenchmark {
    @Param({"3", "5", "7", "9"})
    public int size;

    @Param({"rgb", "gray"})
    public String bank;

    @Param({"separable", "before"})
    public String algorithm;

    private ConstantWeightPlan plan;
    private Tensor x, w, y;

    @Setup(Level.Trial)
    public void setUp() {
        NativeLibrary.require();
        NativeLibrary.setOpenblasThreads(1);
        int c = bank.equals("rgb") ? 3 : 1, pad = size / 2;
        Conv2dProblem p = Conv2dProblem.builder().input(1, c, 1080, 1920).filters(c, size, size).groups(c)
                .pad(pad, pad, pad, pad).build();
        if (p.algorithm() != Algorithm.SEPARABLE) throw new IllegalStateException(p + " runs " + p.algorithm());
        Conv2dProblem run = algorithm.equals("separable") ? p : p.fallbackProblem();
        float[] g = binomial(size), weights = new float[(int) run.weightElements()];
        for (int i = 0; i < weights.length; i++) weights[i] = g[i % (size * size)];
        x = Workload.random(new java.util.SplittableRandom(Workload.SEED), run.inputShape());
        w = Tensor.of(weights, run.weightShape());
        y = Tensor.zeros(run.outputShape());
        plan = new NativeIm2colGemmBackend(1).plan(run, w, null);
    }

    /** The R x R binomial Gaussian, {@code C(R-1, r) C(R-1, s) / 4^(R-1)}. */
    static float[] binomial(int n) {
        double[] b = new double[n];
        b[0] = 1;
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0; j--) b[j] += b[j - 1];
        }
        float[] k = new float[n * n];
        for (int r = 0; r < n; r++) {
            for (int s = 0; s < n; s++) k[r * n + s] = (float) Math.scalb(b[r] * b[s], -2 * (n - 1));
        }
        return k;
    }

    @Benchmark
    public Object forward() {
        plan.forward(x, y);
        return y;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plan.close();
        x.close();
        w.close();
        y.close();
    }
}
