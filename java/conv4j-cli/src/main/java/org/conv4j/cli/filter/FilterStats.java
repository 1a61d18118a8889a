package org.conv4j.cli.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.conv4j.Conv2dProblem;
import org.conv4j.FidelityReport;

/** What a filter run did and how fast: counted by the pipeline, printed by the command. */
public final class FilterStats {
    long images, pixels, convNanos, flops, wallNanos, checkNanos, toneMapNanos;
    /** CPU time (summed over the threads doing them) of decoding, PNG encoding and writing files. */
    final LongAdder decodeNanos = new LongAdder(), encodeNanos = new LongAdder(), writeNanos = new LongAdder();
    int filesWritten;
    String checkScope = "first image";
    final List<FidelityReport> fidelity = new ArrayList<>();
    final List<Conv2dProblem> firstProblems = new ArrayList<>();
    /** One line per input that failed to decode (the run went on without it), in input order. */
    final List<String> failures = new ArrayList<>();

    public List<String> failures() {
        return failures;
    }

    public long images() {
        return images;
    }

    public synchronized int filesWritten() {
        return filesWritten;
    }

    synchronized void wrote(int files) {
        filesWritten += files;
    }

    void encoded(long encode, long write) {
        encodeNanos.add(encode);
        writeNanos.add(write);
    }

    /**
     * Where the time went: the CPU seconds of each Java stage summed over its threads (decode: image file
     * to float planes; tone map: floats to 8-bit planes; encode: PNG; write: temporary file and rename),
     * and the wall seconds inside conv2d (whose native worker threads a thread's CPU clock does not see).
     */
    public String timeSplit() {
        return String.format(java.util.Locale.ROOT,
                "CPU s: decode %.2f, tone map %.2f, encode %.2f, write %.2f; convolve %.2f s wall",
                decodeNanos.sum() / 1e9, toneMapNanos / 1e9, encodeNanos.sum() / 1e9, writeNanos.sum() / 1e9, convNanos / 1e9);
    }

    /** The calling thread's CPU time in nanoseconds (its wall clock where the JVM cannot measure CPU time). */
    static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public double imagesPerSecond() {
        return images / (wallNanos / 1e9);
    }

    public double megapixelsPerSecond() {
        return pixels / 1e6 / (wallNanos / 1e9);
    }

    /** FLOPs of the convolutions over the time spent inside conv2d (decode and encode excluded). */
    public double gflopsPerSecond() {
        return convNanos == 0 ? 0 : flops / (double) convNanos;
    }

    /** Time spent on the reference check of the first image, excluded from {@link #wallSeconds()}. */
    public double checkSeconds() {
        return checkNanos / 1e9;
    }

    /** The run's wall time without the fidelity check. */
    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    public double convSeconds() {
        return convNanos / 1e9;
    }

    /** What the fidelity check compared: the first image, or a crop of it when large. */
    public String checkScope() {
        return checkScope;
    }

    /** The problems of the first batch (one per kernel size), for the report. */
    public List<Conv2dProblem> firstProblems() {
        return firstProblems;
    }

    /** Native vs reference on the first image (or a crop) of each kernel size; empty on the reference backend. */
    public List<FidelityReport> fidelity() {
        return fidelity;
    }
}
