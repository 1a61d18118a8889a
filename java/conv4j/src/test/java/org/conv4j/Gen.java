package org.conv4j;

import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * The draws of one case of a {@link Property}: seeded, named (a failure lists every value drawn) and, in
 * a hostile case, mixed with the extremes that break shape arithmetic. Everything a case draws comes from
 * its case seed, so the seed alone re-creates it. Also where the case says what it was ({@link #describe})
 * and how it ended ({@link #count}). Not thread-safe: one per case.
 */
final class Gen {
    /** Values that break shape arithmetic: 0, negatives, 2^31 - 1 and 2^31, 2^32, 2^63 - 1, square-root overflows. */
    static final List<Long> HOSTILE = List.of(0L, -1L, -7L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE / 2,
            (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 32, 1L << 40, 1L << 62, 46_341L, 65_536L,
            3_037_000_500L);
    /** In a hostile case, one draw of {@link #mixed} in this many is a {@link #HOSTILE} value. */
    static final int HOSTILE_ONE_IN = 25;

    private final SplittableRandom rnd;
    private final boolean hostile;
    private final StringJoiner drawn = new StringJoiner(" ");
    private final List<String> labels = new java.util.ArrayList<>();
    private String description = "";

    /** The case of {@code seed}: hostile when its lowest bit is 1 (see {@link Property}). */
    Gen(long seed) {
        rnd = new SplittableRandom(seed);
        hostile = (seed & 1) != 0;
    }

    /** Whether this case may draw {@link #HOSTILE} values; the first cases of a property are not hostile. */
    boolean hostile() {
        return hostile;
    }

    /** Uniform in {@code [lo, hi]}; in a hostile case one draw in {@link #HOSTILE_ONE_IN} is a hostile value. */
    long mixed(String name, long lo, long hi) {
        long v = hostile && rnd.nextInt(HOSTILE_ONE_IN) == 0 ? HOSTILE.get(rnd.nextInt(HOSTILE.size()))
                : rnd.nextLong(lo, hi + 1);
        return note(name, v);
    }

    /** Uniform in {@code [lo, hi]}. */
    int between(String name, int lo, int hi) {
        return (int) note(name, rnd.nextInt(lo, hi + 1));
    }

    boolean bool(String name) {
        boolean v = rnd.nextBoolean();
        drawn.add(name + "=" + v);
        return v;
    }

    /** One of {@code values}, uniformly; repeat a value to weight it. */
    @SafeVarargs
    final <T> T oneOf(String name, T... values) {
        T v = values[rnd.nextInt(values.length)];
        drawn.add(name + "=" + v);
        return v;
    }

    <T> T oneOf(String name, List<T> values) {
        T v = values.get(rnd.nextInt(values.size()));
        drawn.add(name + "=" + v);
        return v;
    }

    /** A generator of its own for bulk data (tensors), split from this case's stream. */
    SplittableRandom random() {
        return rnd.split();
    }

    private long note(String name, long v) {
        drawn.add(name + "=" + v);
        return v;
    }

    /** What the case is, once known, e.g. its {@link Conv2dProblem#toString()} descriptor. */
    void describe(Object what) {
        description = String.valueOf(what);
    }

    /** Counts one outcome of this case under {@code label} (a property may check the shares). */
    void count(String label) {
        labels.add(label);
    }

    List<String> labels() {
        return labels;
    }

    /** The descriptor (when given) and every value drawn, for a failure message. */
    @Override
    public String toString() {
        return (description.isEmpty() ? "" : description + "; ") + "drawn: " + drawn;
    }
}
