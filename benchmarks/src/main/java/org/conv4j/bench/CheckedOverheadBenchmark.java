package org.conv4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.conv4j.Backends;
import org.conv4j.CheckedBackend;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the silent-corruption guard ({@link Backends#checked}): the native backend plain
 * ({@code rate = 0}) against checked at the given sample rates, on the same plan-per-trial setup.
 * Overhead = time(rate) / time(0) - 1. One JVM thread; OpenBLAS's thread count as the environment sets it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class CheckedOverheadBenchmark {
    @Param({"n1c64h56w56k64r3s3pt1pl1pb1pr1b1_relu", "n1c32h112w112k32r3s3pt1pl1pb1pr1g32b1", "n1c256h14w14k256r1s1"})
    public String problem;

    /** 0 = unchecked native; else the checked decorator's sample rate (2.5e-4 is {@link CheckedBackend#DEFAULT_RATE}). */
    @Param({"0", "2.5e-4", "1e-3"})
    public double rate;

    private Tensor x, w, b, y;
    private Conv2dPlan plan;

    @Setup(Level.Trial)
    public void setup() {
        Conv2dProblem p = Conv2dProblem.parse(problem);
        SplittableRandom rnd = new SplittableRandom(42);
        x = Tensor.of(gaussian(rnd, p.inputElements()), p.inputShape());
        w = Tensor.of(gaussian(rnd, p.weightElements()), p.weightShape());
        b = p.hasBias() ? Tensor.of(gaussian(rnd, p.k()), p.biasShape()) : null;
        y = Tensor.zeros(p.outputShape());
        Conv2dBackend nat = Backends.nativeBackend();
        plan = (rate == 0 ? nat : Backends.checked(nat, rate)).plan(p);
    }

    @Benchmark
    public Tensor forward() {
        plan.forward(x, w, b, y);
        return y;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plan.close();
        for (Tensor t : new Tensor[] {x, w, b, y}) if (t != null) t.close();
    }

    private static float[] gaussian(SplittableRandom rnd, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }
}
