package org.conv4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.conv4j.backend.NativeLibrary;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code conv4j bench}: runs {@link ConvBenchmark} through JMH's Runner API over the chosen cases,
 * backends and thread counts, prints one row per case, backend and thread count (case, backend,
 * threads, ms, GFLOP/s, OpenBLAS kernel), and optionally writes the CSV ({@code case,backend,threads,ms,gflops})
 * and a report (JMH JSON, markdown, PNG chart; with the {@link EpilogueBenchmark} too).
 *
 * <p>Threads: {@code 1} runs OpenBLAS with 1 thread and the forked JVM with
 * {@code -XX:ActiveProcessorCount=1 -Dconv4j.java.threads=1} (the {@code java} backend's thread count);
 * {@code all} gives both every processor. Only one kind of worker is busy at a time: the benchmark
 * thread calls either OpenBLAS or the Java backend. The {@code reference} backend is single-threaded and
 * about 100x slower: it always runs at 1 thread with fewer, shorter iterations.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        BenchArgs a;
        try {
            a = BenchArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("conv4j bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.exit(run(a, String.join(" ", args)));
        } catch (RunnerException | IOException e) {
            System.err.println("conv4j bench: " + e);
            System.exit(1);
        }
    }

    static int run(BenchArgs a, String command) throws RunnerException, IOException {
        String kernel = NativeLibrary.openblasCoreName();
        List<Row> rows = new ArrayList<>();
        List<Path> jsons = new ArrayList<>();
        List<String> runnable = new ArrayList<>();
        for (String b : a.backends) {
            String why = BenchBackends.unavailableReason(b);
            if (why == null) {
                runnable.add(b);
            } else {
                for (String c : a.cases) rows.add(Row.missing(c, b, 0, "unavailable: " + why));
            }
        }
        for (String t : a.threads) {
            List<String> bs = new ArrayList<>(runnable);
            bs.remove("reference");
            if (!bs.isEmpty()) rows.addAll(runConv(a, bs, t, false, jsons));
        }
        if (runnable.contains("reference")) rows.addAll(runConv(a, List.of("reference"), "1", true, jsons));
        List<Row> epilogue = a.report != null && NativeLibrary.isAvailable() ? runEpilogue(a, jsons) : List.of();
        rows = Table.ordered(rows, a);
        System.out.print(Table.text(rows, kernel));
        if (a.csv != null) Table.writeCsv(rows, a.csv);
        if (a.report != null) {
            Report.write(a.report, "conv4j bench " + command, rows, epilogue, kernel, jsons);
            System.out.println("report written to " + a.report);
        }
        for (Path j : jsons) Files.deleteIfExists(j);
        return 0;
    }

    private static ChainedOptionsBuilder base(BenchArgs a, List<Path> jsons) throws IOException {
        Path json = Files.createTempFile("conv4j-bench", ".json");
        jsons.add(json);
        return new OptionsBuilder().forks(1).shouldFailOnError(false).verbosity(VerboseMode.SILENT)
                .result(json.toString()).resultFormat(ResultFormatType.JSON)
                .warmupIterations(a.quick ? 1 : 3).warmupTime(TimeValue.milliseconds(a.quick ? 300 : 1000))
                .measurementIterations(a.quick ? 2 : 5).measurementTime(TimeValue.milliseconds(a.quick ? 300 : 1000));
    }

    private static List<Row> runConv(BenchArgs a, List<String> backends, String threads, boolean reference,
                                     List<Path> jsons) throws RunnerException, IOException {
        ChainedOptionsBuilder o = base(a, jsons)
                .include(Pattern.quote(ConvBenchmark.class.getName()) + "\\.")
                .param("shape", a.cases.toArray(new String[0]))
                .param("backend", backends.toArray(new String[0]))
                .param("threads", threads).param("precision", a.precision.label()).param("weights", a.weights);
        int n = ConvBenchmark.threadCount(threads);
        if (threads.equals("1")) {
            o.jvmArgsAppend("-XX:ActiveProcessorCount=1", "-Dconv4j.java.threads=1");
        } else {
            o.jvmArgsAppend("-Dconv4j.java.threads=" + n);
        }
        if (reference) {
            o.warmupIterations(a.quick ? 0 : 1).measurementIterations(a.quick ? 1 : 3)
                    .measurementTime(TimeValue.milliseconds(a.quick ? 100 : 1000));
        }
        System.err.printf("conv4j bench: %d cases x %s, threads %s, %s weights ...%n", a.cases.size(), backends, threads,
                a.weights);
        Collection<RunResult> results = new Runner(o.build()).run();
        List<Row> rows = new ArrayList<>();
        for (String c : a.cases) {
            for (String b : backends) {
                RunResult r = find(results, c, b, "variant", null);
                rows.add(r == null ? Row.missing(c, b, n, "failed: rerun java -jar benchmarks.jar ConvBenchmark -p shape="
                        + c + " -p backend=" + b + " -p threads=" + threads + " for the error")
                        : Row.measured(c, b, n, r.getPrimaryResult().getStatistics().getPercentile(50), algorithm(b, c, a)));
            }
        }
        return rows;
    }

    /**
     * What the row ran, for the table: the native algorithm (e.g. {@code direct-blocked}, {@code winograd-f4} under
     * --precision fast), else empty. SEPARABLE hands weights of which no filter factors to its fallback (the
     * benchmark's random weights on mobilenet-dw-3x3 and seed-5x5): the row names the fallback then.
     */
    private static String algorithm(String backend, String shape, BenchArgs a) {
        org.conv4j.Conv2dProblem p = Shapes.get(shape, a.precision);
        org.conv4j.Winograd v = BenchBackends.algorithm(backend, p);
        if (v != null) return v.label();
        if (!backend.startsWith("native")) return "";
        org.conv4j.Conv2dProblem q = BenchBackends.problemFor(backend, p);
        if (q.algorithm() == org.conv4j.Algorithm.SEPARABLE) {
            try (Workload wl = new Workload(p)) {  // the weights the benchmark's own Workload draws
                if (org.conv4j.Separable.of(q, wl.w).separableFilters() == 0) return q.fallbackProblem().algorithm().label();
            }
        }
        return q.algorithm().label();
    }

    private static List<Row> runEpilogue(BenchArgs a, List<Path> jsons) throws RunnerException, IOException {
        List<String> cases = new ArrayList<>(List.of("resnet50-res2-3x3", "vgg16-conv3"));
        cases.retainAll(a.cases);
        if (cases.isEmpty()) return List.of();
        String[] variants = {"bias", "fused_relu", "fused_sum_relu", "separate_relu", "separate_sum_relu"};
        ChainedOptionsBuilder o = base(a, jsons)
                .include(Pattern.quote(EpilogueBenchmark.class.getName()) + "\\.")
                .param("shape", cases.toArray(new String[0])).param("variant", variants);
        System.err.printf("conv4j bench: epilogue variants on %s ...%n", cases);
        Collection<RunResult> results = new Runner(o.build()).run();
        List<Row> rows = new ArrayList<>();
        for (String c : cases) {
            for (String v : variants) {
                RunResult r = find(results, c, null, "variant", v);
                rows.add(r == null ? Row.missing(c, v, 1, "failed") : Row.measured(c, v, 1, r.getPrimaryResult().getScore()));
            }
        }
        return rows;
    }

    /** The result whose params match (null arguments match anything). */
    private static RunResult find(Collection<RunResult> results, String shape, String backend, String key, String value) {
        for (RunResult r : results) {
            var p = r.getParams();
            if (!shape.equals(p.getParam("shape"))) continue;
            if (backend != null && !backend.equals(p.getParam("backend"))) continue;
            if (value != null && !value.equals(p.getParam(key))) continue;
            if (r.getPrimaryResult() == null || Double.isNaN(r.getPrimaryResult().getScore())) continue;
            return r;
        }
        return null;
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.2f" : "%.4f", v);
    }
}
