package org.conv4j.bench;

import java.util.concurrent.TimeUnit;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dProblem;
import org.conv4j.Conv2dPlan;
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
 * One forward convolution of a {@code shapes.csv} case on one backend, or the bare sgemm of its GEMM
 * shapes ({@code backend = sgemm}). {@code threads} ({@code 1} or {@code all} = the processors this JVM
 * sees): OpenBLAS's thread count for {@code sgemm}; the native backend's own threads (OpenBLAS at 1);
 * the {@code java} backend sizes itself from the processors the JVM sees,
 * which {@link BenchMain} limits with {@code -XX:ActiveProcessorCount=1} for {@code threads = 1}. The
 * {@code reference} backend is single-threaded and slow: {@link BenchMain} runs it with fewer iterations.
 *
 * <p>Inputs come from a fixed seed; the plan is made in setup, so the measured call allocates nothing.
 * A summing epilogue is absent from these cases, so every call does the same work. Sample mode: JMH times a
 * random, thinning sample of the calls (each timed call includes its two nanoTime reads, tens of ns), so
 * {@link BenchMain} reports the median call, the statistic the peer harness reports (a mean would count
 * the other tenants' interruptions of a shared machine against conv4j alone).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {
    @Param({"seed-5x5", "prep-rgb-fullhd", "prep-batch32-5x5", "resnet50-conv1", "resnet50-res2-3x3",
            "resnet50-res2-1x1", "resnet50-res4-3x3-b16", "vgg16-conv3", "mobilenet-dw-3x3", "deeplab-dilated",
            "strided-3x3-s2"})
    public String shape;

    @Param({"native", "java", "reference", "sgemm"})
    public String backend;

    /** {@code strict} or {@code fast} ({@link org.conv4j.Precision}): the problem's precision policy. */
    @Param({"strict"})
    public String precision;

    @Param({"1", "all"})
    public String threads;

    /**
     * {@code per-call}: a {@link Conv2dPlan}, the weights read (and rearranged, where the algorithm needs it) on every
     * call; {@code constant}: a {@link ConstantWeightPlan}, the weights rearranged once in setup (inference).
     */
    @Param({"per-call"})
    public String weights;

    private Workload wl;
    private Conv2dPlan plan;
    private ConstantWeightPlan constant;
    private BareSgemm sgemm;

    @Setup(Level.Trial)
    public void setUp() {
        wl = new Workload(Shapes.get(shape, org.conv4j.Precision.parse(precision)));
        if (backend.equals("sgemm")) {
            NativeLibrary.require();
            sgemm = new BareSgemm(wl);
        } else {
            Conv2dBackend b = BenchBackends.forProblem(backend, wl.problem, threadCount(threads));
            Conv2dProblem problem = BenchBackends.problemFor(backend, wl.problem);
            if (weights.equals("constant")) {
                constant = b.plan(problem, wl.w, wl.bias);
            } else {
                plan = b.plan(problem);
            }
        }
        // sgemm: OpenBLAS's threads; native: its own pool beside 1-thread OpenBLAS; java: Java threads
        if (NativeLibrary.isAvailable()) NativeLibrary.setOpenblasThreads(sgemm != null ? threadCount(threads) : 1);
    }

    /** {@code 1} or {@code all} (the processors this JVM sees). */
    static int threadCount(String threads) {
        return threads.equals("all") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    }

    @Benchmark
    public Object forward() {
        if (sgemm != null) {
            sgemm.run();
        } else if (constant != null) {
            constant.forward(wl.x, wl.y);
        } else {
            plan.forward(wl.x, wl.w, wl.bias, wl.y);
        }
        return wl.y;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (plan != null) plan.close();
        if (constant != null) constant.close();
        if (sgemm != null) sgemm.close();
        wl.close();
    }
}
