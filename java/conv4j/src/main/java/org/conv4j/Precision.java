package org.conv4j;

import java.util.Locale;

/**
 * Which algorithms a problem allows, by the error bound they guarantee. Thread-safe (an enum).
 */
public enum Precision {
    /**
     * The default: every output element within the classical dot-product bound
     * {@code gamma_n * (sum |x*w| + |bias|)} ({@link Fidelity#bound}), and integer data whose partial sums
     * stay below 2^24 bit-exact.
     */
    STRICT,
    /**
     * Also allows algorithms whose own rigorous bound is larger, such as Winograd's minimal filtering
     * ({@link Winograd}): fewer multiplications, a few decimal digits fewer (each algorithm states its bound,
     * and {@link Fidelity} reports the error against it and against the strict one). Integer data is no longer
     * bit-exact.
     */
    FAST;

    /** Lower-case name as the CLI and the descriptor string spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code strict|fast} (case-insensitive). */
    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (s != null && p.label().equalsIgnoreCase(s.trim())) return p;
        }
        throw new IllegalArgumentException("unknown precision '" + s + "'; expected strict or fast");
    }
}
