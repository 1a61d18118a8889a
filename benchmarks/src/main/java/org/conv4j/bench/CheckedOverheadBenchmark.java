package org.conv4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.conv4j.Backends;
import org.conv4j.CheckedBackend;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeLibrary;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Cost of the silent-corruption guard ({@link Backends#checked}), measured paired: every operation runs
 * the plain native plan and then the checked one on the same tensors, and adds each call's time to its
 * own counter ({@code paired:plainNanos}, {@code paired:checkedNanos}). Overhead =
 * checkedNanos / plainNanos - 1 over the same iterations: the two sides see the same machine, which on a
 * shared machine moves more between trials than the guard costs (unpaired trials gave error bars wider
 * than the overhead). OpenBLAS on {@code blasThreads} threads, one JVM thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class CheckedOverheadBenchmark {
    /** resnet50-res2-3x3 with bias and relu, mobilenet-style depthwise 3x3, resnet-style 1x1. */
    @Param({"n1c64h56w56k64r3s3pt1pl1pb1pr1b1_relu", "n1c32h112w112k32r3s3pt1pl1pb1pr1g32b1", "n1c256h14w14k256r1s1"})
    public String problem;

    /** The checked decorator's sample rate (2.5e-4 is {@link CheckedBackend#DEFAULT_RATE}). */
    @Param({"2.5e-4", "1e-3"})
    public double rate;

    @Param({"1", "2"})
    public int blasThreads;

    private Tensor x, w, b, y;
    private Conv2dPlan plain, checked;

    /** Nanoseconds spent in each side, summed over an iteration's operations. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Split {
        public long plainNanos;
        public long checkedNanos;

        @Setup(Level.Iteration)
        public void clear() {
            plainNanos = 0;
            checkedNanos = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        NativeLibrary.setOpenblasThreads(blasThreads);
        Conv2dProblem p = Conv2dProblem.parse(problem);
        SplittableRandom rnd = new SplittableRandom(42);
        x = Tensor.of(uniform(rnd, p.inputElements()), p.inputShape());
        w = Tensor.of(uniform(rnd, p.weightElements()), p.weightShape());
        b = p.hasBias() ? Tensor.of(uniform(rnd, p.k()), p.biasShape()) : null;
        y = Tensor.zeros(p.outputShape());
        Conv2dBackend nat = Backends.nativeBackend();
        plain = nat.plan(p);
        checked = Backends.checked(nat, rate).plan(p);
    }

    @Benchmark
    public Tensor paired(Split split) {
        long t0 = System.nanoTime();
        plain.forward(x, w, b, y);
        long t1 = System.nanoTime();
        checked.forward(x, w, b, y);
        long t2 = System.nanoTime();
        split.plainNanos += t1 - t0;
        split.checkedNanos += t2 - t1;
        return y;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plain.close();
        checked.close();
        for (Tensor t : new Tensor[] {x, w, b, y}) if (t != null) t.close();
    }

    private static float[] uniform(SplittableRandom rnd, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }
}
