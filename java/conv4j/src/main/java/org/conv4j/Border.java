package org.conv4j;

import java.util.Locale;

/**
 * What the convolution reads outside the input. The semantics are exactly those of {@code numpy.pad}
 * with the mode named in each constant, for any pad width (wider pads repeat the pattern periodically,
 * as numpy's repeated reflection and wrapping do) and any input size, including 1.
 * Shown for a row {@code a b c d} padded by 2 on each side. Thread-safe (an enum).
 */
public enum Border {
    /** {@code 0 0 | a b c d | 0 0}: numpy {@code constant} with 0. The default. */
    ZERO,
    /** {@code c b | a b c d | c b}: mirror without repeating the edge; numpy {@code reflect}. */
    REFLECT,
    /** {@code b a | a b c d | d c}: mirror repeating the edge; numpy {@code symmetric}. */
    SYMMETRIC,
    /** {@code a a | a b c d | d d}: the edge value; numpy {@code edge}. */
    REPLICATE,
    /** {@code c d | a b c d | a b}: wrap around; numpy {@code wrap}. */
    CIRCULAR;

    /**
     * The input index that position {@code i} of the padded axis reads, for an axis of length {@code n},
     * or -1 for a zero. Inside {@code [0, n)} this is {@code i} itself.
     */
    public long index(long i, long n) {
        if (i >= 0 && i < n) return i;
        switch (this) {
            case ZERO: return -1;
            case REPLICATE: return i < 0 ? 0 : n - 1;
            case CIRCULAR: return Math.floorMod(i, n);
            case REFLECT: {
                if (n == 1) return 0;
                long m = Math.floorMod(i, 2 * (n - 1));
                return m < n ? m : 2 * (n - 1) - m;
            }
            default: { // SYMMETRIC
                long m = Math.floorMod(i, 2 * n);
                return m < n ? m : 2 * n - 1 - m;
            }
        }
    }

    /** Lower-case name as the CLI and the descriptor string spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code zero|reflect|symmetric|replicate|circular} (case-insensitive). */
    public static Border parse(String s) {
        for (Border b : values()) {
            if (b.label().equalsIgnoreCase(s.trim())) return b;
        }
        throw new IllegalArgumentException("unknown border '" + s + "'; expected zero, reflect, symmetric, replicate or circular");
    }
}
