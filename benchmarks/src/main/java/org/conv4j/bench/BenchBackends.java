package org.conv4j.bench;

import java.util.List;
import org.conv4j.Algorithm;
import org.conv4j.BackendUnavailableException;
import org.conv4j.Backends;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dProblem;
import org.conv4j.Precision;
import org.conv4j.Winograd;
import org.conv4j.backend.NativeIm2colGemmBackend;
import org.conv4j.backend.NativeWinogradBackend;
import org.conv4j.backend.NativeLibrary;

/**
 * The benchmark's backend names: the library's backends by {@link Backends#byName} ({@code native},
 * {@code java}, {@code reference}) plus {@code sgemm}, the bare-GEMM baseline, {@code native-im2col} (the native
 * backend held to im2col + sgemm) and the Winograd variants forced. A backend this build or
 * machine lacks (e.g. {@code java} before it exists) is reported as unavailable, never run.
 */
final class BenchBackends {
    static final List<String> ALL = List.of("native", "native-im2col", "native-winograd-f2", "native-winograd-f4", "java",
            "reference", "sgemm");

    private BenchBackends() {
    }

    /** Why the backend cannot run here, or null when it can. */
    static String unavailableReason(String name) {
        if (!ALL.contains(name)) return "unknown backend '" + name + "'; known: " + String.join(",", ALL);
        if (name.equals("sgemm") || name.startsWith("native-winograd") || name.equals("native-im2col")) {
            return NativeLibrary.isAvailable() ? null : "needs the native library (OpenBLAS)";
        }
        try {
            Conv2dBackend b = Backends.byName(name);
            return b.isAvailable() ? null : "backend " + name + " is not available on this machine";
        } catch (IllegalArgumentException e) {
            return "backend " + name + " is not in this build of conv4j";
        }
    }

    /**
     * The backend {@code name} runs with {@code threads} threads on {@code problem}: {@code native} under
     * {@link Precision#FAST} runs the registry's choice, a Winograd variant where {@link Winograd#choose} picks one.
     */
    static Conv2dBackend forProblem(String name, Conv2dProblem problem, int threads) {
        Winograd v = algorithm(name, problem);
        if (v != null) return new NativeWinogradBackend(v, threads);
        if (name.equals("native") || name.equals("native-im2col")) return new NativeIm2colGemmBackend(threads);
        return require(name);
    }

    /**
     * The problem backend {@code name} plans: {@code native-im2col} forces {@link Algorithm#IM2COL_GEMM} (im2col +
     * sgemm, what the registry ran before its direct algorithms, for a same-run before and after); else the registry's.
     */
    static Conv2dProblem problemFor(String name, Conv2dProblem problem) {
        return name.equals("native-im2col") ? problem.withAlgorithm(Algorithm.IM2COL_GEMM) : problem;
    }

    /** The Winograd variant backend {@code name} runs on {@code problem}, or null (the strict algorithms). */
    static Winograd algorithm(String name, Conv2dProblem problem) {
        if (name.startsWith("native-winograd")) return Winograd.valueOf(name.substring("native-winograd-".length()).toUpperCase(java.util.Locale.ROOT));
        return name.equals("native") ? problem.algorithm().winograd() : null;
    }

    /** The library backend of that name; a clear exception when it cannot run. */
    static Conv2dBackend require(String name) {
        String why = unavailableReason(name);
        if (why != null) throw new BackendUnavailableException(why, null);
        return Backends.byName(name);
    }
}
