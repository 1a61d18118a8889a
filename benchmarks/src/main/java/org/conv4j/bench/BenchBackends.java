package org.conv4j.bench;

import java.util.List;
import org.conv4j.BackendUnavailableException;
import org.conv4j.Backends;
import org.conv4j.Conv2dBackend;
import org.conv4j.backend.NativeLibrary;

/**
 * The benchmark's backend names: the library's backends by {@link Backends#byName} ({@code native},
 * {@code java}, {@code reference}) plus {@code sgemm}, the bare-GEMM baseline. A backend this build or
 * machine lacks (e.g. {@code java} before it exists) is reported as unavailable, never run.
 */
final class BenchBackends {
    static final List<String> ALL = List.of("native", "java", "reference", "sgemm");

    private BenchBackends() {
    }

    /** Why the backend cannot run here, or null when it can. */
    static String unavailableReason(String name) {
        if (!ALL.contains(name)) return "unknown backend '" + name + "'; known: " + String.join(",", ALL);
        if (name.equals("sgemm")) {
            return NativeLibrary.isAvailable() ? null : "needs the native library (OpenBLAS)";
        }
        try {
            Conv2dBackend b = Backends.byName(name);
            return b.isAvailable() ? null : "backend " + name + " is not available on this machine";
        } catch (IllegalArgumentException e) {
            return "backend " + name + " is not in this build of conv4j";
        }
    }

    /** The library backend of that name; a clear exception when it cannot run. */
    static Conv2dBackend require(String name) {
        String why = unavailableReason(name);
        if (why != null) throw new BackendUnavailableException(why, null);
        return Backends.byName(name);
    }
}
