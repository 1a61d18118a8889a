package org.conv4j.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conv4j.Algorithm;
import org.conv4j.Border;
import org.conv4j.Epilogue;

/**
 * Java's side of the contract with the native library ({@code native/include/conv4j.h}): the code of each
 * enum constant that crosses the JNI boundary, written out constant by constant (never an
 * {@code ordinal()}; an {@link Algorithm} declares its own), the small-reduction limits that the native code sizes stack arrays with, the status
 * of success and the ABI version. The library exports its side as a table of C names and values
 * ({@code conv4j_abi_*}); {@link NativeLibrary} compares the two with {@link #check(Map)} when it loads
 * the library, so that a library from another build is refused with a message, never run into a wrong
 * path or past a stack array. Stateless.
 */
final class NativeAbi {
    /** The {@code CONV4J_ABI_VERSION} this jar is written against. */
    static final long VERSION = 4;
    /** {@code CONV4J_OK}: what {@code conv4j_conv2d_forward} returns on success. */
    static final int OK = 0;

    private NativeAbi() {
    }

    /** {@code enum conv4j_path}: the algorithm's own {@link Algorithm#nativeCode()}. */
    static int code(Algorithm algorithm) {
        return algorithm.nativeCode();
    }

    /** {@code enum conv4j_border}. */
    static int code(Border border) {
        return switch (border) {
            case ZERO -> 0;
            case REFLECT -> 1;
            case SYMMETRIC -> 2;
            case REPLICATE -> 3;
            case CIRCULAR -> 4;
        };
    }

    /** {@code enum conv4j_activation}. */
    static int code(Epilogue.Activation activation) {
        return switch (activation) {
            case NONE -> 0;
            case RELU -> 1;
            case CLAMP -> 2;
        };
    }

    /** One value both sides define: where Java defines it, the C name, Java's value. */
    record Entry(String javaName, String nativeName, long value) {
    }

    /** Every value Java relies on, under its C name ({@code CONV4J_PATH_} + the Java constant's name, ...). */
    static List<Entry> expected() {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry("NativeAbi.VERSION", "CONV4J_ABI_VERSION", VERSION));
        for (Algorithm a : Algorithm.values()) {
            e.add(new Entry("Algorithm." + a, "CONV4J_PATH_" + a, code(a)));
        }
        e.add(new Entry("Algorithm.DIRECT_SMALL_MAX_REDUCTION", "CONV4J_DIRECT_SMALL_MAX_REDUCTION",
                Algorithm.DIRECT_SMALL_MAX_REDUCTION));
        e.add(new Entry("Algorithm.DIRECT_SMALL_MAX_FILTERS", "CONV4J_DIRECT_SMALL_MAX_FILTERS",
                Algorithm.DIRECT_SMALL_MAX_FILTERS));
        e.add(new Entry("Algorithm.DIRECT_BLOCKED_K_BLOCK", "CONV4J_DIRECT_BLOCKED_K_BLOCK",
                Algorithm.DIRECT_BLOCKED_K_BLOCK));
        e.add(new Entry("Algorithm.DIRECT_BLOCKED_MAX_TAPS", "CONV4J_DIRECT_BLOCKED_MAX_TAPS",
                Algorithm.DIRECT_BLOCKED_MAX_TAPS));
        e.add(new Entry("Winograd.K_BLOCK", "CONV4J_WINOGRAD_K_BLOCK", org.conv4j.Winograd.K_BLOCK));
        e.add(new Entry("Winograd.MATRIX_PAD", "CONV4J_WINOGRAD_MATRIX_PAD", org.conv4j.Winograd.MATRIX_PAD));
        for (Border b : Border.values()) e.add(new Entry("Border." + b, "CONV4J_BORDER_" + b, code(b)));
        for (Epilogue.Activation a : Epilogue.Activation.values()) {
            e.add(new Entry("Epilogue.Activation." + a, "CONV4J_ACT_" + a, code(a)));
        }
        e.add(new Entry("NativeAbi.OK", "CONV4J_OK", OK));
        return e;
    }

    /**
     * Each disagreement between {@link #expected()} and the library's table (C name to value), one line
     * naming the constant and both values; empty when they agree. Names the library exports and Java does
     * not use are ignored.
     */
    static List<String> mismatches(Map<String, Long> exported) {
        List<String> bad = new ArrayList<>();
        for (Entry e : expected()) {
            Long v = exported.get(e.nativeName());
            if (v == null) {
                bad.add(e.javaName() + " is " + e.value() + ", but the library exports no " + e.nativeName());
            } else if (v != e.value()) {
                bad.add(e.javaName() + " is " + e.value() + ", but the library's " + e.nativeName() + " is " + v);
            }
        }
        return bad;
    }

    /** Throws {@link MismatchError} listing every {@link #mismatches(Map) mismatch}; returns when there is none. */
    static void check(Map<String, Long> exported) {
        List<String> bad = mismatches(exported);
        if (!bad.isEmpty()) throw new MismatchError(bad);
    }

    /** The library was built from another {@code conv4j.h} than this jar was written against. */
    static final class MismatchError extends LinkageError {
        private static final long serialVersionUID = 1L;

        MismatchError(List<String> mismatches) {
            super("the native library does not match this conv4j jar (" + String.join("; ", mismatches)
                    + "): use the conv4j jar and its native classifier jar of one build");
        }
    }
}
