package org.conv4j.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.conv4j.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Getting 25 MiB of caller data (an NCHW batch {@code [1, 16, 640, 640]}, 6,553,600 floats) into a tensor:
 * {@link Tensor#wrap(FloatBuffer, long...)} over a direct buffer (no copy: validation and one small
 * object), {@link Tensor#of} from a heap array (allocate 25 MiB off-heap, copy, free), and
 * {@link Tensor#copyFrom(FloatBuffer)} of the direct buffer into a tensor allocated once (the copy alone).
 * Each operation includes the tensor's close. One JVM thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class TensorWrapBenchmark {
    private static final long[] SHAPE = {1, 16, 640, 640};

    private float[] array;
    private FloatBuffer direct;
    private Tensor target;

    @Setup(Level.Trial)
    public void setup() {
        int n = Math.toIntExact(Tensor.elementCount(SHAPE));
        SplittableRandom rnd = new SplittableRandom(42);
        array = new float[n];
        for (int i = 0; i < n; i++) array[i] = (float) rnd.nextDouble();
        direct = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.put(array).flip();
        target = Tensor.zeros(SHAPE);
    }

    @Benchmark
    public long wrapDirectBuffer() {
        try (Tensor t = Tensor.wrap(direct, SHAPE)) {
            return t.size();
        }
    }

    @Benchmark
    public long ofHeapArray() {
        try (Tensor t = Tensor.of(array, SHAPE)) {
            return t.size();
        }
    }

    @Benchmark
    public Tensor copyFromDirectBuffer() {
        target.copyFrom(direct);
        direct.rewind();
        return target;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        target.close();
    }
}
