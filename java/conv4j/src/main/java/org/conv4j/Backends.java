package org.conv4j;

import java.util.List;
import java.util.Locale;
import org.conv4j.backend.JavaIm2colGemmBackend;
import org.conv4j.backend.NativeIm2colGemmBackend;
import org.conv4j.backend.ReferenceBackend;

/** The registry of backends, by name. Thread-safe: the backends are stateless singletons. */
public final class Backends {
    private static final Conv2dBackend NATIVE = new NativeIm2colGemmBackend();
    private static final Conv2dBackend JAVA = new JavaIm2colGemmBackend();
    private static final Conv2dBackend REFERENCE = new ReferenceBackend();

    private Backends() {
    }

    /** All backends, available here or not. */
    public static List<Conv2dBackend> all() {
        return List.of(NATIVE, JAVA, REFERENCE);
    }

    /** {@code native}, {@code java} or {@code reference} (case-insensitive). */
    public static Conv2dBackend byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Conv2dBackend b : all()) {
            if (b.name().equals(n)) return b;
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; known: native, java, reference");
    }

    public static Conv2dBackend nativeBackend() {
        return NATIVE;
    }

    /**
     * The pure-Java im2col + GEMM backend with the default thread count ({@code -Dconv4j.java.threads},
     * else the available processors); {@code new JavaIm2colGemmBackend(threads)} for another count.
     */
    public static Conv2dBackend javaBackend() {
        return JAVA;
    }

    public static Conv2dBackend reference() {
        return REFERENCE;
    }

    /**
     * {@code backend} with the silent-corruption guard: after each call a fraction {@code rate} (0 to 1] of
     * the output elements (at least one) is recomputed by the reference and any element outside the
     * rigorous error bound raises {@link FidelityException}. See {@link CheckedBackend}.
     */
    public static Conv2dBackend checked(Conv2dBackend backend, double rate) {
        return new CheckedBackend(backend, rate);
    }

    /** {@link #checked(Conv2dBackend, double)} at {@link CheckedBackend#DEFAULT_RATE}. */
    public static Conv2dBackend checked(Conv2dBackend backend) {
        return new CheckedBackend(backend, CheckedBackend.DEFAULT_RATE);
    }

    /** The fastest backend available here: native if its library loads, else java (which always runs). */
    public static Conv2dBackend best() {
        return NATIVE.isAvailable() ? NATIVE : JAVA;
    }
}
