package org.conv4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A seeded mutation fuzzer for the readers of untrusted files, on plain JUnit 5. Input {@code i} comes
 * from its own generator seeded from (seed, i), so a failure names the seed and the index, and
 * {@code -Dconv4j.seed=S} makes the same inputs again; {@code -Dconv4j.fuzz.inputs=N} runs more or
 * fewer (a longer fuzz with a fresh seed finds what CI's fixed inputs do not). Each run prints one line {@code fuzz <reader>: inputs = N, seed = S}.
 *
 * <p>Checked on every input: the target returns (it catches the reader's documented exceptions and
 * checks them; anything else it lets through fails the run), the input allocates at most
 * {@link #maxAllocatedBytes} on the fuzzing thread (a header claiming a huge size must be refused
 * before allocating it) and takes at most {@link #perInput}; the whole run is stopped at its
 * {@link #budget}, preemptively, naming the input that hung. A failing input is saved under
 * {@code target/fuzz-failures/}.
 */
public final class Fuzzer {
    public static final String SEED_PROPERTY = "conv4j.seed", INPUTS_PROPERTY = "conv4j.fuzz.inputs";
    /** The seed CI runs: fixed, so a red build is reproducible without the log. */
    public static final long DEFAULT_SEED = 20250715L;

    /** Makes input {@code index} from its own random source. */
    @FunctionalInterface
    public interface Generator {
        byte[] input(SplittableRandom rnd, int index) throws Exception;
    }

    /** Feeds one input to the reader; returns when the reader behaved as documented. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input, int index) throws Exception;
    }

    private final String reader;
    private final long seed;
    private final int inputs, defaultInputs;
    private Duration budget = Duration.ofSeconds(120), perInput = Duration.ofSeconds(10);
    private long maxAllocatedBytes = 64L << 20;
    private volatile int current = -1;

    private Fuzzer(String reader, long seed, int inputs, int defaultInputs) {
        this.reader = reader;
        this.seed = seed;
        this.inputs = inputs;
        this.defaultInputs = defaultInputs;
    }

    /** A fuzzer of {@code reader} with the seed and input count of the system properties, else the defaults. */
    public static Fuzzer of(String reader, int defaultInputs) {
        return new Fuzzer(reader, Long.getLong(SEED_PROPERTY, DEFAULT_SEED), Integer.getInteger(INPUTS_PROPERTY, defaultInputs),
                defaultInputs);
    }

    /**
     * The whole run's time limit at the default input count (120 s: generous, it is there to catch a
     * hang, on a machine that may be loaded); more inputs get proportionally more.
     */
    public Fuzzer budget(Duration d) {
        budget = d;
        return this;
    }

    public Fuzzer perInput(Duration d) {
        perInput = d;
        return this;
    }

    /** At most this many bytes allocated by one input on the fuzzing thread (where the JVM counts them). */
    public Fuzzer maxAllocatedBytes(long bytes) {
        maxAllocatedBytes = bytes;
        return this;
    }

    public long seed() {
        return seed;
    }

    public int inputs() {
        return inputs;
    }

    /** Generates and feeds every input, then prints the run's line; the first misbehaving input fails it. */
    public void run(Generator generator, Target target) {
        Duration limit = inputs <= defaultInputs ? budget : budget.multipliedBy((inputs + defaultInputs - 1L) / defaultInputs);
        assertTimeoutPreemptively(limit, () -> runAll(generator, target),
                () -> describe(current) + ": still running when the " + limit.toSeconds() + " s budget ran out");
        System.out.println("fuzz " + reader + ": inputs = " + inputs + ", seed = " + seed);
    }

    private void runAll(Generator generator, Target target) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean alloc = mx instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled() ? t : null;
        for (int i = 0; i < inputs; i++) {
            current = i;
            byte[] input = null;
            try {
                input = generator.input(new SplittableRandom(mix(seed, i)), i);
                long a0 = alloc == null ? 0 : alloc.getCurrentThreadAllocatedBytes(), t0 = System.nanoTime();
                target.accept(input, i);
                long nanos = System.nanoTime() - t0, bytes = alloc == null ? 0 : alloc.getCurrentThreadAllocatedBytes() - a0;
                if (bytes > maxAllocatedBytes) {
                    throw new AssertionError("allocated " + bytes + " bytes, above the bound of " + maxAllocatedBytes);
                }
                if (nanos > perInput.toNanos()) {
                    throw new AssertionError("took " + nanos / 1_000_000 + " ms, above the bound of " + perInput.toMillis() + " ms");
                }
            } catch (Throwable e) {
                throw new AssertionError(describe(i) + saved(input, i) + ": " + e, e);
            }
        }
    }

    private String describe(int i) {
        return "fuzz " + reader + ": input " + i + " of seed " + seed + " (rerun: -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    private String saved(byte[] input, int i) {
        if (input == null) return "";
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            Path f = Files.write(dir.resolve(reader + "-" + seed + "-" + i + ".bin"), input);
            return ", " + input.length + " bytes saved in " + f.toAbsolutePath();
        } catch (IOException e) {
            return ", " + input.length + " bytes (not saved: " + e.getMessage() + ")";
        }
    }

    /** SplitMix64's finaliser over (seed, index): neighbouring indices get unrelated streams. */
    private static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
