package org.conv4j.bench;

import java.util.Locale;

/**
 * One result: a case on a backend with a thread count; {@code ms} per forward call (NaN when it did not
 * run, {@code note} says why) and {@code gflops = problem.flops() / time}.
 */
record Row(String shape, String backend, int threads, double ms, double gflops, String note) {
    static Row measured(String shape, String backend, int threads, double ms) {
        return measured(shape, backend, threads, ms, "");
    }

    /** A measured row; {@code algorithm} (e.g. {@code winograd-f4}) is shown beside the kernel, empty for none. */
    static Row measured(String shape, String backend, int threads, double ms, String algorithm) {
        return new Row(shape, backend, threads, ms, Shapes.get(shape).flops() / (ms * 1e6), algorithm);
    }

    static Row missing(String shape, String backend, int threads, String note) {
        return new Row(shape, backend, threads, Double.NaN, Double.NaN, note);
    }

    boolean ran() {
        return !Double.isNaN(ms);
    }

    String csvLine() {
        return String.join(",", shape, backend, threads == 0 ? "" : Integer.toString(threads),
                ran() ? String.format(Locale.ROOT, "%.6f", ms) : "",
                ran() ? String.format(Locale.ROOT, "%.3f", gflops) : "");
    }
}
